-- Revenue and count of recognized orders (paid, shipped, delivered) placed in the range.
with recognized_orders as (
    select
        o.order_id,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
)

select
    coalesce(sum(total_cents), 0) as revenue_cents,
    count(*) as order_count
from recognized_orders

-- Average value of a recognized order, in whole cents rounded half away from zero.
with recognized_orders as (
    select
        o.order_id,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

totals as (
    select
        coalesce(sum(total_cents), 0) as revenue_cents,
        count(*) as order_count
    from recognized_orders
)

select
    {round_div(revenue_cents, order_count)} as aov_cents,
    revenue_cents,
    order_count
from totals

-- Customers by what they spent on recognized orders, highest first, ties by lower id.
with recognized_orders as (
    select
        o.user_id,
        o.created_at,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

customer_totals as (
    select
        user_id,
        count(*) as order_count,
        sum(total_cents) as lifetime_spend_cents,
        min(created_at) as first_order_at,
        max(created_at) as last_order_at
    from recognized_orders
    group by user_id
)

select
    u.user_id,
    u.first_name || ' ' || u.last_name as name,
    u.email,
    t.order_count,
    t.lifetime_spend_cents,
    t.first_order_at,
    t.last_order_at
from customer_totals as t
inner join users as u on u.user_id = t.user_id
order by
    t.lifetime_spend_cents desc,
    u.user_id
limit :limit

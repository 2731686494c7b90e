-- Customers by what they spent on recognized orders in the range, highest first, ties by
-- lower id. The range chooses the orders counted and spent; first_order_at is the
-- customer's first recognized order ever (before the range, too), last_order_at the last
-- one in the range.
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

-- the top customers are chosen before their first orders are looked up: one look-up
-- (an index range of orders by user) per row returned, not per customer in the range
customer_totals as (
    select
        user_id,
        count(*) as order_count,
        sum(total_cents) as lifetime_spend_cents,
        max(created_at) as last_order_at
    from recognized_orders
    group by user_id
    order by
        lifetime_spend_cents desc,
        user_id
    limit :limit
)

select
    u.user_id,
    u.first_name || ' ' || u.last_name as name,
    u.email,
    t.order_count,
    t.lifetime_spend_cents,
    (
        select min(e.created_at)
        from orders as e
        where e.user_id = t.user_id
            and {recognized(e.status)}
    ) as first_order_at,
    t.last_order_at
from customer_totals as t
inner join users as u on u.user_id = t.user_id
order by
    t.lifetime_spend_cents desc,
    u.user_id

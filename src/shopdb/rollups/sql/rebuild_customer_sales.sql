-- One row per user: recognized orders, their total, first and last (zeros and empty
-- times for users without one).
insert into customer_sales (
    user_id,
    order_count,
    spend_cents,
    first_order_at,
    last_order_at
)
select
    u.user_id,
    coalesce(t.order_count, 0),
    coalesce(t.spend_cents, 0),
    t.first_order_at,
    t.last_order_at
from users as u
left join (
    select
        o.user_id,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents,
        min(o.created_at) as first_order_at,
        max(o.created_at) as last_order_at
    from orders as o
    where {recognized(o.status)}
    group by o.user_id
) as t on t.user_id = u.user_id

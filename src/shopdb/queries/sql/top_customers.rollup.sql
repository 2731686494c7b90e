-- top_customers over all history from the per-customer rollup, read in spend order.
with customer_totals as (
    select
        user_id,
        order_count,
        spend_cents as lifetime_spend_cents,
        first_order_at,
        last_order_at
    from customer_sales
    where order_count > 0
    order by
        spend_cents desc,
        user_id
    limit :limit
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

-- customer_recency_frequency plus the deltas not yet folded into it, against each
-- customer's recognized orders: the rollup's side counts up, the base tables' side
-- counts down, and every group (the first midnight at or after the customer's last
-- order, their order count) must come to zero customers and zero spend
with customers as (
    select
        o.user_id,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents,
        max(o.created_at) as last_order_at
    from orders as o
    where {recognized(o.status)}
    group by o.user_id
),

sides as (
    select
        recency_from_day,
        order_count,
        customer_count,
        spend_cents
    from customer_recency_frequency
    union all
    select
        recency_from_day,
        order_count,
        customer_count,
        spend_cents
    from customer_rf_deltas
    union all
    select
        {day_ceiling(last_order_at)},
        order_count,
        -1,
        -spend_cents
    from customers
)

select
    recency_from_day,
    order_count,
    sum(customer_count) as customer_count_off,
    sum(spend_cents) as spend_cents_off
from sides
group by
    recency_from_day,
    order_count
having sum(customer_count) <> 0
    or sum(spend_cents) <> 0

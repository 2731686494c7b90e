-- customer_first_day_totals against each customer's recognized orders as the folded rows
-- count them (recognized now, less each order's unfolded rows in rollup_deltas): per day
-- of the first, the customers, their orders, spend and whole days from first to last;
-- rollup up, base down, every day must come to zero
with pending as (
    select
        order_id,
        sum(order_count) as order_count
    from rollup_deltas
    where order_id is not null
    group by order_id
),

customers as (
    select
        min(o.created_at) as first_order_at,
        max(o.created_at) as last_order_at,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents
    from orders as o
    left join pending as p on p.order_id = o.order_id
    where case when {recognized(o.status)} then 1 else 0 end - coalesce(p.order_count, 0) > 0
    group by o.user_id
),

sides as (
    select
        first_day_index,
        month_index,
        customer_count,
        order_count,
        spend_cents,
        lifespan_days
    from customer_first_day_totals
    union all
    select
        {day_index(first_order_at)},
        {month_index(first_order_at)},
        -count(*),
        -sum(order_count),
        -sum(spend_cents),
        -sum({days_between(first_order_at, last_order_at)})
    from customers
    group by
        {day_index(first_order_at)},
        {month_index(first_order_at)}
)

select
    first_day_index,
    month_index,
    sum(customer_count) as customer_count_off,
    sum(order_count) as order_count_off,
    sum(spend_cents) as spend_cents_off,
    sum(lifespan_days) as lifespan_days_off
from sides
group by
    first_day_index,
    month_index
having sum(customer_count) <> 0
    or sum(order_count) <> 0
    or sum(spend_cents) <> 0
    or sum(lifespan_days) <> 0

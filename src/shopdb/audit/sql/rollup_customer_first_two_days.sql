-- customer_first_two_days against each customer's first two recognized orders (in time
-- order, ties by id) as the folded rows count them (recognized now, less each order's
-- unfolded rows in rollup_deltas): the second's day (2932896 for none) and the first's;
-- rollup up, base down, every key must come to zero
with pending as (
    select
        order_id,
        sum(order_count) as order_count
    from rollup_deltas
    where order_id is not null
    group by order_id
),

folded_orders as (
    select
        o.user_id,
        {day_index(o.created_at)} as day_index,
        row_number() over (
            partition by o.user_id
            order by o.created_at, o.order_id
        ) as order_number
    from orders as o
    left join pending as p on p.order_id = o.order_id
    where case when {recognized(o.status)} then 1 else 0 end - coalesce(p.order_count, 0) > 0
),

firsts as (
    select
        min(case when order_number = 1 then day_index end) as first_day_index,
        coalesce(max(case when order_number = 2 then day_index end), 2932896)
        as second_day_index
    from folded_orders
    where order_number <= 2
    group by user_id
),

sides as (
    select
        second_day_index,
        first_day_index,
        customer_count
    from customer_first_two_days
    union all
    select
        second_day_index,
        first_day_index,
        -count(*)
    from firsts
    group by
        second_day_index,
        first_day_index
)

select
    second_day_index,
    first_day_index,
    sum(customer_count) as customer_count_off
from sides
group by
    second_day_index,
    first_day_index
having sum(customer_count) <> 0

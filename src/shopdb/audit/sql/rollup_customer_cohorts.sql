-- customer_cohorts plus the deltas not yet folded into it, against each customer's
-- months with a recognized order and the day and month of their first one: the rollup's
-- side counts up, the base tables' side counts down, and every key must come to zero
with customer_months as (
    select distinct
        o.user_id,
        {month_index(o.created_at)} as month_index
    from orders as o
    where {recognized(o.status)}
),

first_orders as (
    select
        o.user_id,
        min(o.created_at) as first_order_at
    from orders as o
    where {recognized(o.status)}
    group by o.user_id
),

sides as (
    select
        first_day_index,
        month_index,
        cohort_index,
        customer_count
    from customer_cohorts
    union all
    select
        first_day_index,
        month_index,
        cohort_index,
        customer_count
    from customer_cohort_deltas
    union all
    select
        {day_index(f.first_order_at)},
        cm.month_index,
        {month_index(f.first_order_at)},
        -1
    from customer_months as cm
    inner join first_orders as f on f.user_id = cm.user_id
)

select
    first_day_index,
    month_index,
    cohort_index,
    sum(customer_count) as customer_count_off
from sides
group by
    first_day_index,
    month_index,
    cohort_index
having sum(customer_count) <> 0

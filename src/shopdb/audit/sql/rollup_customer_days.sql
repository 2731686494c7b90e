-- customer_days plus the deltas not yet folded into it, against each customer's days
-- with a recognized order and the previous such day: the rollup's side counts up, the
-- base tables' side counts down, and every (day, previous day) must come to zero
with recognized_days as (
    select distinct
        o.user_id,
        {day_index(o.created_at)} as day_index
    from orders as o
    where {recognized(o.status)}
),

sides as (
    select
        day_index,
        prev_day_index,
        customer_count
    from customer_days
    union all
    select
        day_index,
        prev_day_index,
        customer_count
    from customer_day_deltas
    union all
    select
        rd.day_index,
        coalesce(
            lag(rd.day_index) over (partition by rd.user_id order by rd.day_index), -1
        ),
        -1
    from recognized_days as rd
)

select
    day_index,
    prev_day_index,
    sum(customer_count) as customer_count_off
from sides
group by
    day_index,
    prev_day_index
having sum(customer_count) <> 0

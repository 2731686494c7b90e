-- customer_country_days against the customer-country-days of the orders as the folded
-- rows count them (recognized now, less each order's unfolded rows in rollup_deltas):
-- each day after the previous one (-1: none) and a terminal row (day 2932896) after the
-- last, days of "all time" only; rollup up, base down, every key must come to zero
with pending as (
    select
        order_id,
        sum(order_count) as order_count
    from rollup_deltas
    where order_id is not null
    group by order_id
),

folded_days as (
    select distinct
        o.user_id,
        coalesce(o.ship_country_code, '') as country_code,
        {day_index(o.created_at)} as day_index
    from orders as o
    left join pending as p on p.order_id = o.order_id
    where case when {recognized(o.status)} then 1 else 0 end - coalesce(p.order_count, 0) > 0
        and {day_index(o.created_at)} >= 0
        and {day_index(o.created_at)} < 2932896
),

sides as (
    select
        day_index,
        prev_day_index,
        country_code,
        customer_count
    from customer_country_days
    union all
    select
        fd.day_index,
        coalesce(
            lag(fd.day_index) over (
                partition by fd.user_id, fd.country_code
                order by fd.day_index
            ),
            -1
        ),
        fd.country_code,
        -1
    from folded_days as fd
    union all
    select
        2932896,
        max(fd.day_index),
        fd.country_code,
        -1
    from folded_days as fd
    group by
        fd.user_id,
        fd.country_code
)

select
    day_index,
    prev_day_index,
    country_code,
    sum(customer_count) as customer_count_off
from sides
group by
    day_index,
    prev_day_index,
    country_code
having sum(customer_count) <> 0

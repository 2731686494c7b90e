-- Orders per day, as whole days since 1970-01-01 (day 0, a Thursday).
with order_days as (
    select {day_index(o.created_at)} as day_number
    from orders as o
)

select
    day_number,
    count(*) as order_count
from order_days
group by day_number
order by day_number

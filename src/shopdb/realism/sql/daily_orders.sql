-- Orders per day, the day counted from the bound epoch (day 0 is 1970-01-01, a Thursday).
with order_days as (
    select {days_between(:epoch, o.created_at)} as day_number
    from orders as o
)

select
    day_number,
    count(*) as order_count
from order_days
group by day_number
order by day_number

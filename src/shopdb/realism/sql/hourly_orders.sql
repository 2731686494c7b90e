-- Orders per hour of the day (UTC).
with order_hours as (
    select {hour_of(o.created_at)} as hour_of_day
    from orders as o
)

select
    hour_of_day,
    count(*) as order_count
from order_hours
group by hour_of_day
order by hour_of_day

-- Delivered orders by whole days from order to delivery.
with delivered as (
    select {days_between(o.created_at, s.delivered_at)} as days_to_door
    from shipments as s
    inner join orders as o on o.order_id = s.order_id
    where s.delivered_at is not null
)

select
    days_to_door,
    count(*) as order_count
from delivered
group by days_to_door
order by days_to_door

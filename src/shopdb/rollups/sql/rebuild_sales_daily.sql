-- Per UTC day of placing: recognized orders and their revenue, units (from the product
-- rows just built) and customers whose first recognized order was placed that day.
insert into sales_daily (
    day_index,
    month_index,
    order_count,
    revenue_cents,
    units,
    new_customer_count
)
select
    d.day_index,
    d.month_index,
    d.order_count,
    d.revenue_cents,
    coalesce(u.units, 0),
    coalesce(n.new_customer_count, 0)
from (
    select
        {day_index(o.created_at)} as day_index,
        {month_index(o.created_at)} as month_index,
        count(*) as order_count,
        sum(o.total_cents) as revenue_cents
    from orders as o
    where {recognized(o.status)}
    group by
        {day_index(o.created_at)},
        {month_index(o.created_at)}
) as d
left join (
    select
        day_index,
        sum(units) as units
    from product_sales_daily
    group by day_index
) as u on u.day_index = d.day_index
left join (
    select
        {day_index(cs.first_order_at)} as day_index,
        count(*) as new_customer_count
    from customer_sales as cs
    where cs.order_count > 0
    group by {day_index(cs.first_order_at)}
) as n on n.day_index = d.day_index

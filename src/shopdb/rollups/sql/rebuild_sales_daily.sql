-- Per UTC day of placing: recognized orders and their revenue, units (from the product
-- rows just built), customers whose first recognized order was placed that day and the
-- total of those first orders (a customer's orders in time order, ties by order id, as
-- new_vs_returning_revenue numbers them).
insert into sales_daily (
    day_index,
    month_index,
    order_count,
    revenue_cents,
    units,
    new_customer_count,
    new_revenue_cents
)
select
    d.day_index,
    d.month_index,
    d.order_count,
    d.revenue_cents,
    coalesce(u.units, 0),
    d.new_customer_count,
    d.new_revenue_cents
from (
    select
        {day_index(n.created_at)} as day_index,
        {month_index(n.created_at)} as month_index,
        count(*) as order_count,
        sum(n.total_cents) as revenue_cents,
        sum(case when n.order_number = 1 then 1 else 0 end) as new_customer_count,
        sum(case when n.order_number = 1 then n.total_cents else 0 end) as new_revenue_cents
    from (
        select
            o.created_at,
            o.total_cents,
            row_number() over (
                partition by o.user_id
                order by o.created_at, o.order_id
            ) as order_number
        from orders as o
        where {recognized(o.status)}
    ) as n
    group by
        {day_index(n.created_at)},
        {month_index(n.created_at)}
) as d
left join (
    select
        day_index,
        sum(units) as units
    from product_sales_daily
    group by day_index
) as u on u.day_index = d.day_index

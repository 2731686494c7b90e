-- Per UTC day of placing and product: recognized orders holding the product, units and
-- item revenue, and the units of refunded orders (recognized once, never again; a day
-- and product with only refunded orders gets a row of zeros but its refunded units).
insert into product_sales_daily (
    day_index,
    product_id,
    month_index,
    order_count,
    units,
    revenue_cents,
    refunded_units
)
select
    {day_index(o.created_at)},
    oi.product_id,
    {month_index(o.created_at)},
    sum(case when {recognized(o.status)} then 1 else 0 end),
    sum(case when {recognized(o.status)} then oi.quantity else 0 end),
    sum(case when {recognized(o.status)} then oi.quantity * oi.unit_price_cents else 0 end),
    sum(case when o.status = 'refunded' then oi.quantity else 0 end)
from orders as o
inner join order_items as oi on oi.order_id = o.order_id
where {recognized(o.status)}
    or o.status = 'refunded'
group by
    {day_index(o.created_at)},
    oi.product_id,
    {month_index(o.created_at)}

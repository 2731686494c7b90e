-- Per UTC day of placing and product: recognized orders holding the product, units and
-- item revenue.
insert into product_sales_daily (
    day_index,
    product_id,
    month_index,
    order_count,
    units,
    revenue_cents
)
select
    {day_index(o.created_at)},
    oi.product_id,
    {month_index(o.created_at)},
    count(*),
    sum(oi.quantity),
    sum(oi.quantity * oi.unit_price_cents)
from orders as o
inner join order_items as oi on oi.order_id = o.order_id
where {recognized(o.status)}
group by
    {day_index(o.created_at)},
    oi.product_id,
    {month_index(o.created_at)}

-- Per month and product, summed from the daily rows just built.
insert into product_sales_monthly (
    month_index,
    product_id,
    order_count,
    units,
    revenue_cents,
    refunded_units
)
select
    month_index,
    product_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents),
    sum(refunded_units)
from product_sales_daily
group by
    month_index,
    product_id

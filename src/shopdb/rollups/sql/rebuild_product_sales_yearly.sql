-- Per calendar year and product, summed from the monthly rows just built
-- (month_index = year * 12 + month - 1, so the year is its integer quotient by 12).
insert into product_sales_yearly (
    year_index,
    product_id,
    order_count,
    units,
    revenue_cents,
    refunded_units
)
select
    {div(month_index, 12)},
    product_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents),
    sum(refunded_units)
from product_sales_monthly
group by
    {div(month_index, 12)},
    product_id

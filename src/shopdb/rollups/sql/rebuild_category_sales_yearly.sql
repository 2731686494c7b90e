-- Per calendar year and category, summed from the monthly rows just built
-- (month_index = year * 12 + month - 1, so the year is its integer quotient by 12).
insert into category_sales_yearly (
    year_index,
    category_id,
    order_count,
    units,
    revenue_cents
)
select
    {div(month_index, 12)},
    category_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents)
from category_sales_monthly
group by
    {div(month_index, 12)},
    category_id

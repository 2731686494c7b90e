-- Per month and category, summed from the daily rows just built.
insert into category_sales_monthly (
    month_index,
    category_id,
    order_count,
    units,
    revenue_cents
)
select
    month_index,
    category_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents)
from category_sales_daily
group by
    month_index,
    category_id

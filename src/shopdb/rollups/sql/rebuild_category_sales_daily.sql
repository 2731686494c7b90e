-- Per day and category: the product rows just built, summed per product's category.
insert into category_sales_daily (
    day_index,
    category_id,
    month_index,
    order_count,
    units,
    revenue_cents
)
select
    psd.day_index,
    p.category_id,
    psd.month_index,
    sum(psd.order_count),
    sum(psd.units),
    sum(psd.revenue_cents)
from product_sales_daily as psd
inner join products as p on p.product_id = psd.product_id
group by
    psd.day_index,
    p.category_id,
    psd.month_index

-- Per product over the days "all time" covers, summed from the daily rows just built:
-- the queries' EARLIEST to LATEST as day indexes (shopdb.rollups.spans.ALL_TIME, which
-- a test holds equal to these two numbers).
insert into product_sales_total (
    product_id,
    order_count,
    units,
    revenue_cents,
    refunded_units
)
select
    product_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents),
    sum(refunded_units)
from product_sales_daily
where day_index >= 0
    and day_index < 2932896
group by product_id

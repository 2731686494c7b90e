-- product_sales_total plus the deltas not yet folded into it, against the items of
-- recognized orders (and the units of refunded ones) per product placed on the days of
-- "all time" (day indexes 0 to 2932896: 1970-01-01 to 9999-12-31,
-- shopdb.rollups.spans.ALL_TIME); rollup up, base down: zero
with sides as (
    select
        product_id,
        order_count,
        units,
        revenue_cents,
        refunded_units
    from product_sales_total
    union all
    select
        product_id,
        order_count,
        units,
        revenue_cents,
        refunded_units
    from rollup_deltas
    where product_id is not null
        and day_index >= 0
        and day_index < 2932896
    union all
    select
        oi.product_id,
        -sum(case when {recognized(o.status)} then 1 else 0 end),
        -sum(case when {recognized(o.status)} then oi.quantity else 0 end),
        -sum(case when {recognized(o.status)} then oi.quantity * oi.unit_price_cents else 0 end),
        -sum(case when o.status = 'refunded' then oi.quantity else 0 end)
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where ({recognized(o.status)} or o.status = 'refunded')
        and {day_index(o.created_at)} >= 0
        and {day_index(o.created_at)} < 2932896
    group by oi.product_id
)

select
    product_id,
    sum(order_count) as order_count_off,
    sum(units) as units_off,
    sum(revenue_cents) as revenue_cents_off,
    sum(refunded_units) as refunded_units_off
from sides
group by product_id
having sum(order_count) <> 0
    or sum(units) <> 0
    or sum(revenue_cents) <> 0
    or sum(refunded_units) <> 0

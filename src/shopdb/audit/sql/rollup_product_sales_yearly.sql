-- product_sales_yearly plus the deltas not yet folded into it, against the items of
-- recognized orders (and the units of refunded ones) per UTC calendar year of placing
-- and product (rollup up, base down: zero); a year is the integer quotient of a month
-- index by 12
with sides as (
    select
        year_index,
        product_id,
        order_count,
        units,
        revenue_cents,
        refunded_units
    from product_sales_yearly
    union all
    select
        {div(month_index, 12)},
        product_id,
        order_count,
        units,
        revenue_cents,
        refunded_units
    from rollup_deltas
    where product_id is not null
    union all
    select
        {div({month_index(o.created_at)}, 12)},
        oi.product_id,
        -sum(case when {recognized(o.status)} then 1 else 0 end),
        -sum(case when {recognized(o.status)} then oi.quantity else 0 end),
        -sum(case when {recognized(o.status)} then oi.quantity * oi.unit_price_cents else 0 end),
        -sum(case when o.status = 'refunded' then oi.quantity else 0 end)
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where ({recognized(o.status)} or o.status = 'refunded')
    group by
        {div({month_index(o.created_at)}, 12)},
        oi.product_id
)

select
    year_index,
    product_id,
    sum(order_count) as order_count_off,
    sum(units) as units_off,
    sum(revenue_cents) as revenue_cents_off,
    sum(refunded_units) as refunded_units_off
from sides
group by
    year_index,
    product_id
having sum(order_count) <> 0
    or sum(units) <> 0
    or sum(revenue_cents) <> 0
    or sum(refunded_units) <> 0

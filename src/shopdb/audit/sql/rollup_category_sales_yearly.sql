-- category_sales_yearly plus the deltas not yet folded into it (each in its product's
-- category now), against the items of recognized orders per UTC calendar year of placing and
-- product's category (rollup up, base down: zero); a year is the integer quotient of a month
-- index by 12
with sides as (
    select
        year_index,
        category_id,
        order_count,
        units,
        revenue_cents
    from category_sales_yearly
    union all
    select
        {div(d.month_index, 12)},
        p.category_id,
        d.order_count,
        d.units,
        d.revenue_cents
    from rollup_deltas as d
    inner join products as p on p.product_id = d.product_id
    union all
    select
        {div({month_index(o.created_at)}, 12)},
        p.category_id,
        -count(*),
        -sum(oi.quantity),
        -sum(oi.quantity * oi.unit_price_cents)
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    inner join products as p on p.product_id = oi.product_id
    where {recognized(o.status)}
    group by
        {div({month_index(o.created_at)}, 12)},
        p.category_id
)

select
    year_index,
    category_id,
    sum(order_count) as order_count_off,
    sum(units) as units_off,
    sum(revenue_cents) as revenue_cents_off
from sides
group by
    year_index,
    category_id
having sum(order_count) <> 0
    or sum(units) <> 0
    or sum(revenue_cents) <> 0

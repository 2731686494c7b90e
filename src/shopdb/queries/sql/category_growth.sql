-- Item revenue (quantity x unit price over items of recognized orders) per top-level
-- category and UTC year of the range, against the same dates a year before.
with recursive category_roots (category_id, top_category_id) as (
    select
        c.category_id,
        c.category_id
    from categories as c
    where c.parent_id is null
    union all
    select
        child.category_id,
        r.top_category_id
    from categories as child
    inner join category_roots as r on child.parent_id = r.category_id
),

-- period 0 is the range, period 1 the same dates a year before (read even when they
-- fall outside the range, so the range's first year has a year to compare with)
sold_items as (
    select
        0 as period,
        oi.product_id,
        {div({month_index(o.created_at)}, 12)} as year,
        oi.quantity * oi.unit_price_cents as line_cents
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
    union all
    select
        1 as period,
        oi.product_id,
        {div({month_index(o.created_at)}, 12)} as year,
        oi.quantity * oi.unit_price_cents as line_cents
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where {recognized(o.status)}
        and o.created_at >= :since_year_before
        and o.created_at < :until_year_before
),

-- summed per product before the category joins, so the join sees products, not items
product_years as (
    select
        period,
        product_id,
        year,
        sum(line_cents) as revenue_cents
    from sold_items
    group by
        period,
        product_id,
        year
),

by_year as (
    select
        py.period,
        r.top_category_id,
        py.year,
        sum(py.revenue_cents) as revenue_cents
    from product_years as py
    inner join products as p on p.product_id = py.product_id
    inner join category_roots as r on r.category_id = p.category_id
    group by
        py.period,
        r.top_category_id,
        py.year
)

select
    cur.top_category_id,
    c.name as top_category_name,
    cur.year,
    cur.revenue_cents,
    prev.revenue_cents as previous_year_revenue_cents,
    {ratio_bp(cur.revenue_cents - prev.revenue_cents, prev.revenue_cents)} as growth_bp
from by_year as cur
inner join categories as c on c.category_id = cur.top_category_id
left join by_year as prev
    on prev.period = 1
    and prev.top_category_id = cur.top_category_id
    and prev.year = cur.year - 1
where cur.period = 0
order by
    cur.top_category_id,
    cur.year

-- category_growth from the product rollups (whole months monthly, the days around them
-- daily, plus the changes not yet folded in).
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

product_sales as (
    select
        product_id,
        month_index,
        order_count,
        units,
        revenue_cents
    from product_sales_monthly
    where month_index >= :m_from
        and month_index < :m_to
    union all
    select
        product_id,
        month_index,
        order_count,
        units,
        revenue_cents
    from product_sales_daily
    where day_index >= :d_since
        and day_index < :d_head_end
    union all
    select
        product_id,
        month_index,
        order_count,
        units,
        revenue_cents
    from product_sales_daily
    where day_index >= :d_tail_start
        and day_index < :d_until
    union all
    select
        product_id,
        month_index,
        order_count,
        units,
        revenue_cents
    from rollup_deltas
    where product_id is not null
        and day_index >= :d_since
        and day_index < :d_until
),

product_years as (
    select
        product_id,
        {div(month_index, 12)} as year,
        sum(revenue_cents) as revenue_cents,
        sum(order_count) as order_count
    from product_sales
    group by
        product_id,
        {div(month_index, 12)}
),

-- a category and year whose every sale was undone has no orders, as if absent
by_year as (
    select
        r.top_category_id,
        py.year,
        sum(py.revenue_cents) as revenue_cents
    from product_years as py
    inner join products as p on p.product_id = py.product_id
    inner join category_roots as r on r.category_id = p.category_id
    group by
        r.top_category_id,
        py.year
    having sum(py.order_count) > 0
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
    on prev.top_category_id = cur.top_category_id
    and prev.year = cur.year - 1
order by
    cur.top_category_id,
    cur.year

-- revenue_by_category from the category rollups (migration 0020): the range as signed
-- spans of years, months and days (see shopdb.rollups.spans; all of history is every
-- year), plus the changes not yet folded in, each in its product's category.
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

stocked_categories as (
    select
        category_id,
        count(*) as product_count
    from products
    group by category_id
),

category_sales as (
    select
        category_id,
        revenue_cents
    from category_sales_yearly
    where :s_all = 1
    union all
    select
        category_id,
        revenue_cents
    from category_sales_yearly
    where year_index >= :s_y_from
        and year_index < :s_y_to
    union all
    select
        category_id,
        :s_m1_sign * revenue_cents
    from category_sales_monthly
    where month_index >= :s_m1_from
        and month_index < :s_m1_to
    union all
    select
        category_id,
        :s_m2_sign * revenue_cents
    from category_sales_monthly
    where month_index >= :s_m2_from
        and month_index < :s_m2_to
    union all
    select
        category_id,
        :s_d1_sign * revenue_cents
    from category_sales_daily
    where day_index >= :s_d1_from
        and day_index < :s_d1_to
    union all
    select
        category_id,
        :s_d2_sign * revenue_cents
    from category_sales_daily
    where day_index >= :s_d2_from
        and day_index < :s_d2_to
    union all
    select
        p.category_id,
        d.revenue_cents
    from rollup_deltas as d
    inner join products as p on p.product_id = d.product_id
    where d.day_index >= :d_since
        and d.day_index < :d_until
),

item_revenue as (
    select
        category_id,
        sum(revenue_cents) as revenue_cents
    from category_sales
    group by category_id
),

category_revenue as (
    select
        s.category_id,
        s.product_count,
        coalesce(ir.revenue_cents, 0) as revenue_cents,
        sum(coalesce(ir.revenue_cents, 0)) over () as total_cents
    from stocked_categories as s
    left join item_revenue as ir on ir.category_id = s.category_id
)

select
    c.category_id,
    c.name as category_name,
    r.top_category_id,
    top.name as top_category_name,
    cr.product_count,
    cr.revenue_cents,
    {ratio_bp(cr.revenue_cents, cr.total_cents)} as share_bp
from category_revenue as cr
inner join categories as c on c.category_id = cr.category_id
inner join category_roots as r on r.category_id = cr.category_id
inner join categories as top on top.category_id = r.top_category_id
order by
    cr.revenue_cents desc,
    c.category_id

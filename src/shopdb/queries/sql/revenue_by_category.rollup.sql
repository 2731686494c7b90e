-- revenue_by_category from the product rollups (the range as signed spans of years,
-- months and days, see shopdb.rollups.spans, plus the changes not yet folded in),
-- joined to each product's category.
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

product_sales as (
    select
        product_id,
        order_count,
        units,
        revenue_cents
    from product_sales_total
    where :s_all = 1
    union all
    select
        product_id,
        order_count,
        units,
        revenue_cents
    from product_sales_yearly
    where year_index >= :s_y_from
        and year_index < :s_y_to
    union all
    select
        product_id,
        :s_m1_sign * order_count,
        :s_m1_sign * units,
        :s_m1_sign * revenue_cents
    from product_sales_monthly
    where month_index >= :s_m1_from
        and month_index < :s_m1_to
    union all
    select
        product_id,
        :s_m2_sign * order_count,
        :s_m2_sign * units,
        :s_m2_sign * revenue_cents
    from product_sales_monthly
    where month_index >= :s_m2_from
        and month_index < :s_m2_to
    union all
    select
        product_id,
        :s_d1_sign * order_count,
        :s_d1_sign * units,
        :s_d1_sign * revenue_cents
    from product_sales_daily
    where day_index >= :s_d1_from
        and day_index < :s_d1_to
    union all
    select
        product_id,
        :s_d2_sign * order_count,
        :s_d2_sign * units,
        :s_d2_sign * revenue_cents
    from product_sales_daily
    where day_index >= :s_d2_from
        and day_index < :s_d2_to
    union all
    select
        product_id,
        order_count,
        units,
        revenue_cents
    from rollup_deltas
    where product_id is not null
        and day_index >= :d_since
        and day_index < :d_until
),

-- summed per product before the join, so the join sees products, not rollup rows
per_product as (
    select
        product_id,
        sum(revenue_cents) as revenue_cents
    from product_sales
    group by product_id
),

item_revenue as (
    select
        p.category_id,
        sum(pp.revenue_cents) as revenue_cents
    from per_product as pp
    inner join products as p on p.product_id = pp.product_id
    group by p.category_id
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

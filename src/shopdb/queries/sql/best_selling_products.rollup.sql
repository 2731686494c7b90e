-- best_selling_products from the product rollups: the range as signed spans of years,
-- months and days (shopdb.rollups.spans: the last year is a year plus a month, minus a
-- month and a day), plus the changes not yet folded in.
with recursive category_scope (category_id) as (
    select c.category_id
    from categories as c
    where (:category_id = 0 and c.parent_id is null)
        or c.category_id = :category_id
    union all
    select child.category_id
    from categories as child
    inner join category_scope as s on child.parent_id = s.category_id
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

-- summed per product before any join, so the joins see products, not rollup rows; a
-- product whose every sale in the range was undone sums to no order, as if absent
per_product as (
    select
        product_id,
        sum(units) as units_sold,
        sum(revenue_cents) as revenue_cents,
        sum(order_count) as order_count
    from product_sales
    group by product_id
    having sum(order_count) > 0
),

-- the whole catalogue needs no join before the sort (category 0: every product is in
-- some top-level category's subtree); a subtree is checked per product. Joining every
-- product first cost PostgreSQL a look-up each, planned for the few groups it expected
top_products as (
    select
        pp.product_id,
        pp.units_sold,
        pp.revenue_cents,
        pp.order_count
    from per_product as pp
    where :category_id = 0
        or exists (
            select 1
            from products as p
            inner join category_scope as cs on cs.category_id = p.category_id
            where p.product_id = pp.product_id
        )
    order by
        pp.units_sold desc,
        pp.product_id
    limit :limit
)

select
    p.product_id,
    p.sku,
    p.name,
    p.category_id,
    t.units_sold,
    t.revenue_cents,
    t.order_count
from top_products as t
inner join products as p on p.product_id = t.product_id
order by
    t.units_sold desc,
    p.product_id

-- category_growth from the category rollups (a row per category and bucket, migration
-- 0020): each period as signed spans of years, months and days (shopdb.rollups.spans:
-- the last year is a year plus a month, minus a month and a day), plus the changes not
-- yet folded in, each in its product's category. Every row keeps its own calendar year
-- (a year row stands for its January), and the signed days add up to exactly the
-- period, so each year's sums are exact; all of history is read as years.
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

-- period 0 is the range, period 1 the same dates a year before (see category_growth.sql)
category_sales as (
    select
        0 as period,
        category_id,
        year_index * 12 as month_index,
        order_count,
        units,
        revenue_cents
    from category_sales_yearly
    where year_index >= :s_y_from
        and year_index < :s_y_to
    union all
    select
        0 as period,
        category_id,
        month_index,
        :s_m1_sign * order_count,
        :s_m1_sign * units,
        :s_m1_sign * revenue_cents
    from category_sales_monthly
    where month_index >= :s_m1_from
        and month_index < :s_m1_to
    union all
    select
        0 as period,
        category_id,
        month_index,
        :s_m2_sign * order_count,
        :s_m2_sign * units,
        :s_m2_sign * revenue_cents
    from category_sales_monthly
    where month_index >= :s_m2_from
        and month_index < :s_m2_to
    union all
    select
        0 as period,
        category_id,
        month_index,
        :s_d1_sign * order_count,
        :s_d1_sign * units,
        :s_d1_sign * revenue_cents
    from category_sales_daily
    where day_index >= :s_d1_from
        and day_index < :s_d1_to
    union all
    select
        0 as period,
        category_id,
        month_index,
        :s_d2_sign * order_count,
        :s_d2_sign * units,
        :s_d2_sign * revenue_cents
    from category_sales_daily
    where day_index >= :s_d2_from
        and day_index < :s_d2_to
    union all
    select
        0 as period,
        p.category_id,
        d.month_index,
        d.order_count,
        d.units,
        d.revenue_cents
    from rollup_deltas as d
    inner join products as p on p.product_id = d.product_id
    where d.day_index >= :d_since
        and d.day_index < :d_until
    union all
    select
        1 as period,
        category_id,
        year_index * 12 as month_index,
        order_count,
        units,
        revenue_cents
    from category_sales_yearly
    where year_index >= :p_s_y_from
        and year_index < :p_s_y_to
    union all
    select
        1 as period,
        category_id,
        month_index,
        :p_s_m1_sign * order_count,
        :p_s_m1_sign * units,
        :p_s_m1_sign * revenue_cents
    from category_sales_monthly
    where month_index >= :p_s_m1_from
        and month_index < :p_s_m1_to
    union all
    select
        1 as period,
        category_id,
        month_index,
        :p_s_m2_sign * order_count,
        :p_s_m2_sign * units,
        :p_s_m2_sign * revenue_cents
    from category_sales_monthly
    where month_index >= :p_s_m2_from
        and month_index < :p_s_m2_to
    union all
    select
        1 as period,
        category_id,
        month_index,
        :p_s_d1_sign * order_count,
        :p_s_d1_sign * units,
        :p_s_d1_sign * revenue_cents
    from category_sales_daily
    where day_index >= :p_s_d1_from
        and day_index < :p_s_d1_to
    union all
    select
        1 as period,
        category_id,
        month_index,
        :p_s_d2_sign * order_count,
        :p_s_d2_sign * units,
        :p_s_d2_sign * revenue_cents
    from category_sales_daily
    where day_index >= :p_s_d2_from
        and day_index < :p_s_d2_to
    union all
    select
        1 as period,
        p.category_id,
        d.month_index,
        d.order_count,
        d.units,
        d.revenue_cents
    from rollup_deltas as d
    inner join products as p on p.product_id = d.product_id
    where d.day_index >= :p_d_since
        and d.day_index < :p_d_until
),

-- a category and year whose every sale was undone has no orders, as if absent
by_year as (
    select
        cs.period,
        r.top_category_id,
        {div(cs.month_index, 12)} as year,
        sum(cs.revenue_cents) as revenue_cents
    from category_sales as cs
    inner join category_roots as r on r.category_id = cs.category_id
    group by
        cs.period,
        r.top_category_id,
        {div(cs.month_index, 12)}
    having sum(cs.order_count) > 0
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

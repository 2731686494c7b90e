-- yoy_growth from the daily rollup plus the changes not yet folded into it.
with days as (
    select
        month_index,
        order_count,
        revenue_cents
    from sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        month_index,
        order_count,
        revenue_cents
    from rollup_deltas
    where product_id is null
        and day_index >= :d_since
        and day_index < :d_until
),

by_month as (
    select
        month_index,
        sum(revenue_cents) as revenue_cents,
        sum(order_count) as order_count
    from days
    group by month_index
    having sum(order_count) > 0
)

select
    {month_label(cur.month_index)} as month,
    cur.revenue_cents,
    cur.order_count,
    prev.revenue_cents as previous_year_revenue_cents,
    {ratio_bp(cur.revenue_cents - prev.revenue_cents, prev.revenue_cents)} as growth_bp
from by_month as cur
left join by_month as prev on prev.month_index = cur.month_index - 12
order by cur.month_index

-- monthly_revenue from the daily rollup plus the changes not yet folded into it; a
-- month counts once it holds a recognized order, as in the base form.
with recursive days as (
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
),

months (month_index) as (
    select min(month_index) from by_month
    union all
    select month_index + 1
    from months
    where month_index < (select max(month_index) from by_month)
),

monthly as (
    select
        m.month_index,
        coalesce(b.revenue_cents, 0) as revenue_cents,
        coalesce(b.order_count, 0) as order_count
    from months as m
    left join by_month as b on b.month_index = m.month_index
    where m.month_index is not null
)

select
    {month_label(cur.month_index)} as month,
    cur.revenue_cents,
    cur.order_count,
    {round_div(cur.revenue_cents, cur.order_count)} as aov_cents,
    prev.revenue_cents as previous_revenue_cents,
    {ratio_bp(cur.revenue_cents - prev.revenue_cents, prev.revenue_cents)} as growth_bp
from monthly as cur
left join monthly as prev on prev.month_index = cur.month_index - 1
order by cur.month_index

-- monthly_revenue from the daily rollup plus the changes not yet folded into it; a
-- month counts once it holds a recognized order, as in the base form, and the first
-- month's previous one is read from the days before the range, as there.
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
),

earlier_days as (
    select
        month_index,
        order_count,
        revenue_cents
    from sales_daily
    where day_index < :d_since
    union all
    select
        month_index,
        order_count,
        revenue_cents
    from rollup_deltas
    where product_id is null
        and day_index < :d_since
),

earlier_months as (
    select
        month_index,
        sum(revenue_cents) as revenue_cents
    from earlier_days
    group by month_index
    having sum(order_count) > 0
),

look_back as (
    select
        f.month_index,
        sum(case when e.month_index = f.month_index - 1 then e.revenue_cents else 0 end)
            as revenue_cents
    from (select min(month_index) as month_index from by_month) as f
    inner join earlier_months as e on e.month_index < f.month_index
    group by f.month_index
),

with_previous as (
    select
        cur.month_index,
        cur.revenue_cents,
        cur.order_count,
        coalesce(prev.revenue_cents, lb.revenue_cents) as previous_revenue_cents
    from monthly as cur
    left join monthly as prev on prev.month_index = cur.month_index - 1
    left join look_back as lb on lb.month_index = cur.month_index
)

select
    {month_label(month_index)} as month,
    revenue_cents,
    order_count,
    {round_div(revenue_cents, order_count)} as aov_cents,
    previous_revenue_cents,
    {ratio_bp(revenue_cents - previous_revenue_cents, previous_revenue_cents)} as growth_bp
from with_previous
order by month_index

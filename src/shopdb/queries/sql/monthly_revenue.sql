-- Revenue per UTC month from the first to the last month with a recognized order;
-- months in between without one show zeros, so growth is always over the calendar
-- month before.
with recursive recognized_orders as (
    select
        {month_index(o.created_at)} as month_index,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

by_month as (
    select
        month_index,
        sum(total_cents) as revenue_cents,
        count(*) as order_count
    from recognized_orders
    group by month_index
),

months (month_index) as (
    {integer_series(
        months,
        month_index,
        (select min(month_index) from by_month),
        (select max(month_index) from by_month)
    )}
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

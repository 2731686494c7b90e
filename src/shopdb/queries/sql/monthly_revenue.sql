-- Revenue per UTC month from the first to the last month with a recognized order;
-- months in between without one show zeros, so growth is always over the calendar
-- month before. The range chooses the months shown; the first one's previous month is
-- read from all history (the whole calendar month, as over all history), and is empty
-- only when no recognized order came before that first month. look_back holds that
-- month's revenue, one row when an earlier month has a recognized order, else none.
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
),

earlier_orders as (
    select
        {month_index(o.created_at)} as month_index,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at < :since
),

earlier_months as (
    select
        month_index,
        sum(total_cents) as revenue_cents
    from earlier_orders
    group by month_index
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

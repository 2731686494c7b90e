-- Revenue per UTC month of the range against the same month one year before (empty
-- when that month had no recognized order). The year before is read for its own sake:
-- since 2026-01-01 compares January 2026 with January 2025, outside the range.
with current_orders as (
    select
        {month_index(o.created_at)} as month_index,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

previous_orders as (
    select
        {month_index(o.created_at)} as month_index,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since_year_before
        and o.created_at < :until_year_before
),

by_month as (
    select
        month_index,
        sum(total_cents) as revenue_cents,
        count(*) as order_count
    from current_orders
    group by month_index
),

previous_by_month as (
    select
        month_index,
        sum(total_cents) as revenue_cents
    from previous_orders
    group by month_index
)

select
    {month_label(cur.month_index)} as month,
    cur.revenue_cents,
    cur.order_count,
    prev.revenue_cents as previous_year_revenue_cents,
    {ratio_bp(cur.revenue_cents - prev.revenue_cents, prev.revenue_cents)} as growth_bp
from by_month as cur
left join previous_by_month as prev on prev.month_index = cur.month_index - 12
order by cur.month_index

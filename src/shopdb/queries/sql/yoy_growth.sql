-- Revenue per UTC month against the same month one year before (empty when that month
-- had no recognized order in the range).
with recognized_orders as (
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

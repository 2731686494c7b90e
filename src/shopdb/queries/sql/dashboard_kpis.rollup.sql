-- dashboard_kpis from the rollups: revenue and orders from the daily rollup, customers
-- from customer_days (each customer once: the day in the range whose previous day falls
-- before it; returning when there is such a previous day), each plus its changes not
-- yet folded. Refunds are few per range and read by their index.
with days as (
    select
        order_count,
        revenue_cents
    from sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        order_count,
        revenue_cents
    from rollup_deltas
    where product_id is null
        and day_index >= :d_since
        and day_index < :d_until
),

totals as (
    select
        coalesce(sum(revenue_cents), 0) as revenue_cents,
        coalesce(sum(order_count), 0) as order_count
    from days
),

first_days as (
    select
        prev_day_index,
        customer_count
    from customer_days
    where day_index >= :d_since
        and day_index < :d_until
        and prev_day_index < :d_since
    union all
    select
        prev_day_index,
        customer_count
    from customer_day_deltas
    where day_index >= :d_since
        and day_index < :d_until
        and prev_day_index < :d_since
),

customer_counts as (
    select
        coalesce(sum(customer_count), 0) as customer_count,
        coalesce(sum(
            case when prev_day_index >= 0 then customer_count else 0 end
        ), 0) as returning_customer_count
    from first_days
),

refunds as (
    select
        count(*) as refund_count,
        coalesce(sum(p.amount_cents), 0) as refunded_cents
    from payments as p
    where p.status = 'refunded'
        and p.refunded_at >= :since
        and p.refunded_at < :until
)

select
    t.revenue_cents,
    t.order_count,
    {round_div(t.revenue_cents, t.order_count)} as aov_cents,
    c.customer_count,
    c.returning_customer_count,
    {ratio_bp(c.returning_customer_count, c.customer_count)} as returning_rate_bp,
    r.refund_count,
    r.refunded_cents
from totals as t
cross join customer_counts as c
cross join refunds as r

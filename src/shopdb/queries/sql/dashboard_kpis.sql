-- The overview's headline figures for one range: revenue, recognized orders, order
-- value, customers, the share of them who had ordered before the range, and refunds
-- (payments refunded in the range, whenever their order was placed).
with range_orders as (
    select
        o.order_id,
        o.user_id,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

totals as (
    select
        coalesce(sum(total_cents), 0) as revenue_cents,
        count(*) as order_count
    from range_orders
),

range_customers as (
    select distinct user_id
    from range_orders
),

customer_counts as (
    select
        count(*) as customer_count,
        coalesce(sum(
            case
                when exists (
                    select 1
                    from orders as e
                    where e.user_id = rc.user_id
                        and {recognized(e.status)}
                        and e.created_at < :since
                ) then 1
                else 0
            end
        ), 0) as returning_customer_count
    from range_customers as rc
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

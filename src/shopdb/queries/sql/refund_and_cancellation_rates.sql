-- Per UTC month of placing: how many of the orders are now cancelled or refunded.
with placed_orders as (
    select
        {month_index(o.created_at)} as month_index,
        o.status,
        o.total_cents
    from orders as o
    where o.created_at >= :since
        and o.created_at < :until
),

by_month as (
    select
        month_index,
        count(*) as order_count,
        sum(case when status = 'cancelled' then 1 else 0 end) as cancelled_count,
        sum(case when status = 'refunded' then 1 else 0 end) as refunded_count,
        sum(case when status = 'refunded' then total_cents else 0 end) as refunded_cents
    from placed_orders
    group by month_index
)

select
    {month_label(month_index)} as month,
    order_count,
    cancelled_count,
    refunded_count,
    {ratio_bp(cancelled_count, order_count)} as cancellation_rate_bp,
    {ratio_bp(refunded_count, order_count)} as refund_rate_bp,
    refunded_cents
from by_month
order by month_index

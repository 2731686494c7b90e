-- refund_and_cancellation_rates from the daily funnel rollup plus the changes not yet
-- folded into it; a month counts once an order was placed in it, as in the base form.
with days as (
    select
        month_index,
        placed_count,
        cancelled_count,
        refunded_count,
        refunded_cents
    from order_funnel_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        month_index,
        placed_count,
        cancelled_count,
        refunded_count,
        refunded_cents
    from order_event_deltas
    where method is null
        and day_index >= :d_since
        and day_index < :d_until
),

by_month as (
    select
        month_index,
        sum(placed_count) as order_count,
        sum(cancelled_count) as cancelled_count,
        sum(refunded_count) as refunded_count,
        sum(refunded_cents) as refunded_cents
    from days
    group by month_index
    having sum(placed_count) > 0
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

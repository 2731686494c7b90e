-- order_status_funnel from the daily funnel rollup plus the changes not yet folded into
-- it: each day's orders already carry the stages they reached (rollups/order_events.py).
with days as (
    select
        placed_count,
        paid_count,
        shipped_count,
        delivered_count,
        cancelled_count,
        refunded_count
    from order_funnel_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        placed_count,
        paid_count,
        shipped_count,
        delivered_count,
        cancelled_count,
        refunded_count
    from order_event_deltas
    where method is null
        and day_index >= :d_since
        and day_index < :d_until
),

totals as (
    select
        coalesce(sum(placed_count), 0) as placed,
        coalesce(sum(paid_count), 0) as paid,
        coalesce(sum(shipped_count), 0) as shipped,
        coalesce(sum(delivered_count), 0) as delivered,
        coalesce(sum(cancelled_count), 0) as cancelled,
        coalesce(sum(refunded_count), 0) as refunded
    from days
),

stage_list (stage_order, stage) as (
    select 1, 'placed'
    union all
    select 2, 'paid'
    union all
    select 3, 'shipped'
    union all
    select 4, 'delivered'
    union all
    select 5, 'cancelled'
    union all
    select 6, 'refunded'
),

funnel as (
    select
        s.stage_order,
        s.stage,
        case s.stage_order
            when 1 then t.placed
            when 2 then t.paid
            when 3 then t.shipped
            when 4 then t.delivered
            when 5 then t.cancelled
            else t.refunded
        end as order_count,
        case s.stage_order
            when 3 then t.paid
            when 4 then t.shipped
            when 6 then t.paid
            else t.placed
        end as previous_count,
        t.placed
    from stage_list as s
    cross join totals as t
)

select
    stage_order,
    stage,
    order_count,
    {ratio_bp(order_count, placed)} as share_of_placed_bp,
    {ratio_bp(order_count, previous_count)} as step_conversion_bp
from funnel
order by stage_order

-- order_funnel_daily plus the deltas not yet folded into it, against the orders per UTC
-- day of placing and the stages order_status_funnel says they reached: the rollup's
-- side counts up, the base tables' side counts down, and every day must come to zero
-- (a day missing on either side shows up too)
with sides as (
    select
        day_index,
        month_index,
        placed_count,
        paid_count,
        shipped_count,
        delivered_count,
        cancelled_count,
        refunded_count,
        refunded_cents
    from order_funnel_daily
    union all
    select
        day_index,
        month_index,
        placed_count,
        paid_count,
        shipped_count,
        delivered_count,
        cancelled_count,
        refunded_count,
        refunded_cents
    from order_event_deltas
    where method is null
    union all
    select
        {day_index(o.created_at)},
        {month_index(o.created_at)},
        -1,
        case
            when o.status in ('paid', 'shipped', 'delivered', 'refunded') then -1
            when o.status = 'cancelled' and exists (
                select 1
                from order_status_history as h
                where h.order_id = o.order_id
                    and h.to_status = 'paid'
            ) then -1
            else 0
        end,
        case
            when o.status in ('shipped', 'delivered') then -1
            when o.status = 'refunded' and s.order_id is not null then -1
            else 0
        end,
        case
            when o.status = 'delivered' then -1
            when o.status in ('refunded', 'shipped') and s.delivered_at is not null then -1
            else 0
        end,
        case when o.status = 'cancelled' then -1 else 0 end,
        case when o.status = 'refunded' then -1 else 0 end,
        case when o.status = 'refunded' then -o.total_cents else 0 end
    from orders as o
    left join shipments as s on s.order_id = o.order_id
)

select
    day_index,
    sum(placed_count) as placed_count_off,
    sum(paid_count) as paid_count_off,
    sum(shipped_count) as shipped_count_off,
    sum(delivered_count) as delivered_count_off,
    sum(cancelled_count) as cancelled_count_off,
    sum(refunded_count) as refunded_count_off,
    sum(refunded_cents) as refunded_cents_off
from sides
group by day_index
having sum(placed_count) <> 0
    or sum(paid_count) <> 0
    or sum(shipped_count) <> 0
    or sum(delivered_count) <> 0
    or sum(cancelled_count) <> 0
    or sum(refunded_count) <> 0
    or sum(refunded_cents) <> 0
    or min(month_index) <> max(month_index)

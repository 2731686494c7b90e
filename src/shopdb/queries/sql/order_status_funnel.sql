-- Of the orders placed in the range, how many reached each stage. An order reached
-- paid when its status is paid or beyond (refunded included), or it was cancelled and
-- its history shows it paid first (only a pending or paid order can be cancelled, so
-- only cancelled orders need the look-up); shipped when a shipment exists; delivered
-- when the shipment has a delivery time. Step conversion is over the stage before
-- (cancelled over placed, refunded over paid).
with placed_orders as (
    select
        o.order_id,
        o.status
    from orders as o
    where o.created_at >= :since
        and o.created_at < :until
),

stages as (
    select
        case
            when p.status in ('paid', 'shipped', 'delivered', 'refunded') then 1
            when p.status = 'cancelled' and exists (
                select 1
                from order_status_history as h
                where h.order_id = p.order_id
                    and h.to_status = 'paid'
            ) then 1
            else 0
        end as is_paid,
        case
            when p.status in ('shipped', 'delivered') then 1
            when s.order_id is not null then 1
            else 0
        end as is_shipped,
        case
            when p.status = 'delivered' then 1
            when s.delivered_at is not null then 1
            else 0
        end as is_delivered,
        case when p.status = 'cancelled' then 1 else 0 end as is_cancelled,
        case when p.status = 'refunded' then 1 else 0 end as is_refunded
    from placed_orders as p
    left join shipments as s on s.order_id = p.order_id
),

totals as (
    select
        count(*) as placed,
        coalesce(sum(is_paid), 0) as paid,
        coalesce(sum(is_shipped), 0) as shipped,
        coalesce(sum(is_delivered), 0) as delivered,
        coalesce(sum(is_cancelled), 0) as cancelled,
        coalesce(sum(is_refunded), 0) as refunded
    from stages
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

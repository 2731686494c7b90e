-- Of the orders placed in the range, how many reached each stage. An order reached
-- paid when its status is paid or beyond (refunded included) or its history shows a
-- payment (a paid order cancelled later); shipped when a shipment exists; delivered
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

paid_in_history as (
    select distinct h.order_id
    from order_status_history as h
    inner join placed_orders as p on p.order_id = h.order_id
    where h.to_status = 'paid'
),

stages as (
    select
        case
            when p.status in ('paid', 'shipped', 'delivered', 'refunded') then 1
            when ph.order_id is not null then 1
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
    left join paid_in_history as ph on ph.order_id = p.order_id
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

funnel (stage_order, stage, order_count, previous_count, placed) as (
    select 1, 'placed', placed, placed, placed from totals
    union all
    select 2, 'paid', paid, placed, placed from totals
    union all
    select 3, 'shipped', shipped, paid, placed from totals
    union all
    select 4, 'delivered', delivered, shipped, placed from totals
    union all
    select 5, 'cancelled', cancelled, placed, placed from totals
    union all
    select 6, 'refunded', refunded, paid, placed from totals
)

select
    stage_order,
    stage,
    order_count,
    {ratio_bp(order_count, placed)} as share_of_placed_bp,
    {ratio_bp(order_count, previous_count)} as step_conversion_bp
from funnel
order by stage_order

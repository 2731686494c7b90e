-- Of the orders placed in the range, how many reached each stage. An order reached
-- paid when its status is paid or beyond (refunded included), or it was cancelled and
-- its history shows it paid first; shipped when its status is shipped or delivered, or
-- a shipment exists; delivered when its status is delivered, or its shipment has a
-- delivery time. Step conversion is over the stage before (cancelled over placed,
-- refunded over paid).
--
-- The status alone settles every order but two kinds (shopdb.lifecycle): a cancelled
-- order may have been paid (only a pending or paid order can be cancelled, so it was
-- never shipped), and a refunded one may have been shipped and delivered first (a
-- shipped one may carry a delivery time too). So the orders are counted per status from
-- the status index, and only those kinds are looked up, each in its own index.
with status_counts as (
    select
        o.status,
        count(*) as order_count
    from orders as o
    where o.created_at >= :since
        and o.created_at < :until
    group by o.status
),

paid_cancelled as (
    select count(*) as order_count
    from orders as o
    where o.status = 'cancelled'
        and o.created_at >= :since
        and o.created_at < :until
        and exists (
            select 1
            from order_status_history as h
            where h.order_id = o.order_id
                and h.to_status = 'paid'
        )
),

shipped_later as (
    select
        coalesce(sum(case when o.status = 'refunded' then 1 else 0 end), 0) as refunded_shipped,
        coalesce(sum(case when s.delivered_at is not null then 1 else 0 end), 0)
            as delivered_unsaid
    from orders as o
    inner join shipments as s on s.order_id = o.order_id
    where o.status in ('refunded', 'shipped')
        and o.created_at >= :since
        and o.created_at < :until
),

status_totals as (
    select
        coalesce(sum(order_count), 0) as placed,
        coalesce(sum(
            case
                when status in ('paid', 'shipped', 'delivered', 'refunded') then order_count
                else 0
            end
        ), 0) as paid,
        coalesce(sum(
            case when status in ('shipped', 'delivered') then order_count else 0 end
        ), 0) as shipped,
        coalesce(sum(case when status = 'delivered' then order_count else 0 end), 0)
            as delivered,
        coalesce(sum(case when status = 'cancelled' then order_count else 0 end), 0)
            as cancelled,
        coalesce(sum(case when status = 'refunded' then order_count else 0 end), 0)
            as refunded
    from status_counts
),

totals as (
    select
        st.placed,
        st.paid + pc.order_count as paid,
        st.shipped + sl.refunded_shipped as shipped,
        st.delivered + sl.delivered_unsaid as delivered,
        st.cancelled,
        st.refunded
    from status_totals as st
    cross join paid_cancelled as pc
    cross join shipped_later as sl
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

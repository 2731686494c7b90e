-- Per UTC day of placing: the orders placed and how many reached each stage, as
-- order_status_funnel counts them (a cancelled order was paid when its history shows
-- it paid; a refunded one was shipped when a shipment exists, delivered when it has a
-- delivery time; a shipped one is delivered when its shipment has one), and the
-- totals of the refunded ones.
insert into order_funnel_daily (
    day_index,
    month_index,
    placed_count,
    paid_count,
    shipped_count,
    delivered_count,
    cancelled_count,
    refunded_count,
    refunded_cents
)
select
    f.day_index,
    f.month_index,
    count(*),
    sum(f.is_paid),
    sum(f.is_shipped),
    sum(f.is_delivered),
    sum(case when f.status = 'cancelled' then 1 else 0 end),
    sum(case when f.status = 'refunded' then 1 else 0 end),
    sum(case when f.status = 'refunded' then f.total_cents else 0 end)
from (
    select
        {day_index(o.created_at)} as day_index,
        {month_index(o.created_at)} as month_index,
        o.status,
        o.total_cents,
        case
            when o.status in ('paid', 'shipped', 'delivered', 'refunded') then 1
            when o.status = 'cancelled' and exists (
                select 1
                from order_status_history as h
                where h.order_id = o.order_id
                    and h.to_status = 'paid'
            ) then 1
            else 0
        end as is_paid,
        case
            when o.status in ('shipped', 'delivered') then 1
            when o.status = 'refunded' and s.order_id is not null then 1
            else 0
        end as is_shipped,
        case
            when o.status = 'delivered' then 1
            when o.status in ('refunded', 'shipped') and s.delivered_at is not null then 1
            else 0
        end as is_delivered
    from orders as o
    left join shipments as s on s.order_id = o.order_id
) as f
group by
    f.day_index,
    f.month_index

with last_payments as (
    select
        order_id,
        max(created_at) as last_payment_at
    from payments
    group by order_id
)

select
    s.shipment_id,
    s.order_id,
    o.created_at as order_created_at,
    lp.last_payment_at,
    s.shipped_at,
    s.delivered_at
from shipments as s
join orders as o on o.order_id = s.order_id
left join last_payments as lp on lp.order_id = s.order_id
where s.shipped_at < o.created_at
   or s.shipped_at < lp.last_payment_at
   or s.delivered_at < s.shipped_at

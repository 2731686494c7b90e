select
    o.order_id,
    o.status,
    s.shipment_id,
    s.delivered_at
from orders as o
left join shipments as s on s.order_id = o.order_id
where (o.status in ('shipped', 'delivered') and s.shipment_id is null)
   or (o.status in ('pending', 'paid', 'cancelled') and s.shipment_id is not null)
   or (o.status = 'shipped' and s.delivered_at is not null)
   or (o.status = 'delivered' and s.delivered_at is null)

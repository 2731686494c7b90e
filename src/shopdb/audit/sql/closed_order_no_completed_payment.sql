select
    p.payment_id,
    p.order_id,
    o.status as order_status,
    p.amount_cents
from payments as p
join orders as o on o.order_id = p.order_id
where p.status = 'completed'
  and o.status in ('cancelled', 'refunded')

select
    p.payment_id,
    p.order_id,
    p.amount_cents,
    p.created_at
from payments as p
join orders as o on o.order_id = p.order_id
where p.status = 'completed'
  and o.status = 'pending'

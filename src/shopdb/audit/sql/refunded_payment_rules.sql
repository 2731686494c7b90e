select
    p.payment_id,
    p.order_id,
    o.status as order_status,
    p.status as payment_status,
    p.refunded_at
from payments as p
join orders as o on o.order_id = p.order_id
where (p.status = 'refunded' and p.refunded_at is null)
   or (p.status <> 'refunded' and p.refunded_at is not null)
   or (p.status = 'refunded' and o.status not in ('cancelled', 'refunded'))
   or (p.refunded_at < p.created_at)

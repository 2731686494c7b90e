select
    p.payment_id,
    p.order_id,
    o.created_at as order_created_at,
    p.created_at as payment_created_at
from payments as p
join orders as o on o.order_id = p.order_id
where p.created_at < o.created_at

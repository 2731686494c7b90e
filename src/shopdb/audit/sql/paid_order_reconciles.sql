with completed as (
    select
        order_id,
        sum(amount_cents) as paid_cents
    from payments
    where status = 'completed'
    group by order_id
)

select
    o.order_id,
    o.status,
    o.total_cents,
    coalesce(c.paid_cents, 0) as paid_cents
from orders as o
left join completed as c on c.order_id = o.order_id
where {recognized(o.status)}
  and o.total_cents <> coalesce(c.paid_cents, 0)

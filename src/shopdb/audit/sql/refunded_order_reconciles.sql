with refunded as (
    select
        order_id,
        sum(amount_cents) as refunded_cents
    from payments
    where status = 'refunded'
    group by order_id
)

select
    o.order_id,
    o.total_cents,
    coalesce(r.refunded_cents, 0) as refunded_cents
from orders as o
left join refunded as r on r.order_id = o.order_id
where o.status = 'refunded'
  and o.total_cents <> coalesce(r.refunded_cents, 0)

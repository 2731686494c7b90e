-- Orders placed at or before as_of that are still pending payment, oldest first. The
-- failed attempts are counted per order through the payments index on (order_id,
-- status), so the query reads only the pending orders' payments.
with pending_orders as (
    select
        o.order_id,
        o.user_id,
        o.created_at,
        o.total_cents
    from orders as o
    where o.status = 'pending'
        and o.created_at <= :as_of
)

select
    po.order_id,
    po.user_id,
    u.email,
    po.created_at,
    po.total_cents,
    {days_between(po.created_at, :as_of)} as age_days,
    (
        select count(*)
        from payments as pay
        where pay.order_id = po.order_id
            and pay.status = 'failed'
    ) as failed_payment_count
from pending_orders as po
inner join users as u on u.user_id = po.user_id
order by
    po.created_at,
    po.order_id

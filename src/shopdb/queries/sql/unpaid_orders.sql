-- Orders placed at or before as_of that are still pending payment, oldest first.
with pending_orders as (
    select
        o.order_id,
        o.user_id,
        o.created_at,
        o.total_cents
    from orders as o
    where o.status = 'pending'
        and o.created_at <= :as_of
),

failed_attempts as (
    select
        pay.order_id,
        count(*) as failed_payment_count
    from payments as pay
    inner join pending_orders as po on po.order_id = pay.order_id
    where pay.status = 'failed'
    group by pay.order_id
)

select
    po.order_id,
    po.user_id,
    u.email,
    po.created_at,
    po.total_cents,
    {days_between(po.created_at, :as_of)} as age_days,
    coalesce(f.failed_payment_count, 0) as failed_payment_count
from pending_orders as po
inner join users as u on u.user_id = po.user_id
left join failed_attempts as f on f.order_id = po.order_id
order by
    po.created_at,
    po.order_id

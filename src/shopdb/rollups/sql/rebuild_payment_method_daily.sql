-- Per UTC day a payment was attempted and method: the attempts, how many completed,
-- failed and were refunded, and the money captured (completed plus refunded payments).
insert into payment_method_daily (
    day_index,
    method,
    attempt_count,
    completed_count,
    failed_count,
    refunded_count,
    captured_cents
)
select
    {day_index(pay.created_at)},
    pay.method,
    count(*),
    sum(case when pay.status = 'completed' then 1 else 0 end),
    sum(case when pay.status = 'failed' then 1 else 0 end),
    sum(case when pay.status = 'refunded' then 1 else 0 end),
    sum(case when pay.status <> 'failed' then pay.amount_cents else 0 end)
from payments as pay
group by
    {day_index(pay.created_at)},
    pay.method

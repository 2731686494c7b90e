-- payment_method_daily plus the payment rows of order_event_deltas not yet folded into
-- it, against the payments per UTC day attempted and method: rollup up, base down, and
-- every day and method must come to zero (one missing on either side shows up too)
with sides as (
    select
        day_index,
        method,
        attempt_count,
        completed_count,
        failed_count,
        refunded_count,
        captured_cents
    from payment_method_daily
    union all
    select
        day_index,
        method,
        attempt_count,
        completed_count,
        failed_count,
        payment_refunded_count,
        captured_cents
    from order_event_deltas
    where method is not null
    union all
    select
        {day_index(pay.created_at)},
        pay.method,
        -count(*),
        -sum(case when pay.status = 'completed' then 1 else 0 end),
        -sum(case when pay.status = 'failed' then 1 else 0 end),
        -sum(case when pay.status = 'refunded' then 1 else 0 end),
        -sum(case when pay.status <> 'failed' then pay.amount_cents else 0 end)
    from payments as pay
    group by
        {day_index(pay.created_at)},
        pay.method
)

select
    day_index,
    method,
    sum(attempt_count) as attempt_count_off,
    sum(completed_count) as completed_count_off,
    sum(failed_count) as failed_count_off,
    sum(refunded_count) as refunded_count_off,
    sum(captured_cents) as captured_cents_off
from sides
group by
    day_index,
    method
having sum(attempt_count) <> 0
    or sum(completed_count) <> 0
    or sum(failed_count) <> 0
    or sum(refunded_count) <> 0
    or sum(captured_cents) <> 0

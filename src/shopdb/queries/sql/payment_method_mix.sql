-- Payment attempts made in the range, per method. Captured money is completed plus
-- refunded payments (refunded ones were captured first); the failure rate is failed
-- attempts over all attempts.
with attempts as (
    select
        pay.method,
        pay.status,
        pay.amount_cents
    from payments as pay
    where pay.created_at >= :since
        and pay.created_at < :until
),

by_method as (
    select
        method,
        count(*) as attempt_count,
        sum(case when status = 'completed' then 1 else 0 end) as completed_count,
        sum(case when status = 'failed' then 1 else 0 end) as failed_count,
        sum(case when status = 'refunded' then 1 else 0 end) as refunded_count,
        sum(case when status <> 'failed' then amount_cents else 0 end) as captured_cents
    from attempts
    group by method
),

total as (
    select coalesce(sum(captured_cents), 0) as captured_cents
    from by_method
)

select
    m.method,
    m.attempt_count,
    m.completed_count,
    m.failed_count,
    m.refunded_count,
    m.captured_cents,
    {ratio_bp(m.captured_cents, t.captured_cents)} as share_bp,
    {ratio_bp(m.failed_count, m.attempt_count)} as failure_rate_bp
from by_method as m
cross join total as t
order by
    m.captured_cents desc,
    m.method

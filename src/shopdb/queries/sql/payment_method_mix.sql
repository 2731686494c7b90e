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

shares as (
    select
        method,
        attempt_count,
        completed_count,
        failed_count,
        refunded_count,
        captured_cents,
        sum(captured_cents) over () as total_cents
    from by_method
)

select
    method,
    attempt_count,
    completed_count,
    failed_count,
    refunded_count,
    captured_cents,
    {ratio_bp(captured_cents, total_cents)} as share_bp,
    {ratio_bp(failed_count, attempt_count)} as failure_rate_bp
from shares
order by
    captured_cents desc,
    method

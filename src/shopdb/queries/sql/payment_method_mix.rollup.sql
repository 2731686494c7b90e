-- payment_method_mix from the daily payment rollup plus the payment rows not yet folded
-- into it; a method counts once an attempt was made with it, as in the base form.
with days as (
    select
        method,
        attempt_count,
        completed_count,
        failed_count,
        refunded_count,
        captured_cents
    from payment_method_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        method,
        attempt_count,
        completed_count,
        failed_count,
        payment_refunded_count,
        captured_cents
    from order_event_deltas
    where method is not null
        and day_index >= :d_since
        and day_index < :d_until
),

by_method as (
    select
        method,
        sum(attempt_count) as attempt_count,
        sum(completed_count) as completed_count,
        sum(failed_count) as failed_count,
        sum(refunded_count) as refunded_count,
        sum(captured_cents) as captured_cents
    from days
    group by method
    having sum(attempt_count) > 0
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

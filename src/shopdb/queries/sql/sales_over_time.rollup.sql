-- sales_over_time from the daily rollup: its days in the range plus the changes not yet
-- folded into it, cut into buckets of bucket_days days from the range's first day.
with days as (
    select
        day_index,
        order_count,
        revenue_cents
    from sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        day_index,
        order_count,
        revenue_cents
    from rollup_deltas
    where product_id is null
        and day_index >= :d_since
        and day_index < :d_until
),

bucketed as (
    select
        {div(day_index - :d_since, :bucket_days)} as bucket_index,
        order_count,
        revenue_cents
    from days
)

select
    bucket_index,
    sum(revenue_cents) as revenue_cents,
    sum(order_count) as order_count
from bucketed
group by bucket_index
having sum(order_count) > 0
order by bucket_index

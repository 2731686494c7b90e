-- total_revenue from the daily rollup: its days in the range plus the changes not yet
-- folded into it.
with days as (
    select
        order_count,
        revenue_cents
    from sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        order_count,
        revenue_cents
    from rollup_deltas
    where product_id is null
        and day_index >= :d_since
        and day_index < :d_until
)

select
    coalesce(sum(revenue_cents), 0) as revenue_cents,
    coalesce(sum(order_count), 0) as order_count
from days

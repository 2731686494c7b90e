-- Recognized revenue and orders per bucket of bucket_days days from since: bucket 0
-- starts at since, bucket 1 bucket_days later, and so on. Only buckets with an order
-- appear; the caller lays them on the range's full axis.
with recognized_orders as (
    select
        {div({days_between(:since, o.created_at)}, :bucket_days)} as bucket_index,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
)

select
    bucket_index,
    sum(total_cents) as revenue_cents,
    count(*) as order_count
from recognized_orders
group by bucket_index
order by bucket_index

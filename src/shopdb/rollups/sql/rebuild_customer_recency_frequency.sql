-- Per day a customer's recency counts from (the first midnight at or after their last
-- recognized order) and recognized order count: the customers and their spend (from
-- customer_sales, rebuilt before this).
insert into customer_recency_frequency (
    recency_from_day,
    order_count,
    customer_count,
    spend_cents
)
select
    {day_ceiling(cs.last_order_at)},
    cs.order_count,
    count(*),
    sum(cs.spend_cents)
from customer_sales as cs
where cs.order_count > 0
group by
    {day_ceiling(cs.last_order_at)},
    cs.order_count

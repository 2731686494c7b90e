-- Per day of a customer's first recognized order: how many customers, their recognized
-- orders, spend, and whole days from first to last order, summed (as customer_sales
-- holds each customer, which is rebuilt before this).
insert into customer_first_day_totals (
    first_day_index,
    month_index,
    customer_count,
    order_count,
    spend_cents,
    lifespan_days
)
select
    {day_index(c.first_order_at)},
    {month_index(c.first_order_at)},
    count(*),
    sum(c.order_count),
    sum(c.spend_cents),
    sum({days_between(c.first_order_at, c.last_order_at)})
from customer_sales as c
where c.order_count > 0
group by
    {day_index(c.first_order_at)},
    {month_index(c.first_order_at)}

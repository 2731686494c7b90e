-- Per day of a customer's first recognized order and month: the customers with a
-- recognized order placed that month whose first one was placed that day (the first
-- order from customer_sales, rebuilt before this).
insert into customer_cohorts (
    first_day_index,
    month_index,
    cohort_index,
    customer_count
)
select
    {day_index(cs.first_order_at)},
    cm.month_index,
    {month_index(cs.first_order_at)},
    count(*)
from (
    select distinct
        o.user_id,
        {month_index(o.created_at)} as month_index
    from orders as o
    where {recognized(o.status)}
) as cm
inner join customer_sales as cs on cs.user_id = cm.user_id
group by
    {day_index(cs.first_order_at)},
    cm.month_index,
    {month_index(cs.first_order_at)}

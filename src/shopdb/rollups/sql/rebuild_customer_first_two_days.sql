-- Per day of a customer's first recognized order and day of the second (2932896,
-- NO_LATER_DAY, when there is none): how many customers. Orders in time order, ties by
-- id, as repeat_purchase_rate and new_vs_returning_revenue number them.
insert into customer_first_two_days (
    second_day_index,
    first_day_index,
    customer_count
)
select
    f.second_day_index,
    f.first_day_index,
    count(*)
from (
    select
        n.user_id,
        min(case when n.order_number = 1 then n.day_index end) as first_day_index,
        coalesce(max(case when n.order_number = 2 then n.day_index end), 2932896)
        as second_day_index
    from (
        select
            o.user_id,
            {day_index(o.created_at)} as day_index,
            row_number() over (
                partition by o.user_id
                order by o.created_at, o.order_id
            ) as order_number
        from orders as o
        where {recognized(o.status)}
    ) as n
    where n.order_number <= 2
    group by n.user_id
) as f
group by
    f.second_day_index,
    f.first_day_index

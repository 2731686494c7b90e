-- How many customers placed each number of orders (0 for users who never ordered).
with per_user as (
    select
        u.user_id,
        count(o.order_id) as order_count
    from users as u
    left join orders as o on o.user_id = u.user_id
    group by u.user_id
)

select
    order_count,
    count(*) as customer_count
from per_user
group by order_count
order by order_count

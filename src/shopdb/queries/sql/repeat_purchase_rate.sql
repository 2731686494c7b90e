-- Of the customers with a recognized order in the range, the share with two or more.
with customer_orders as (
    select
        o.user_id,
        count(*) as order_count
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
    group by o.user_id
),

totals as (
    select
        count(*) as customer_count,
        coalesce(sum(case when order_count >= 2 then 1 else 0 end), 0) as repeat_customer_count,
        coalesce(sum(order_count), 0) as order_count
    from customer_orders
)

select
    customer_count,
    repeat_customer_count,
    {ratio_bp(repeat_customer_count, customer_count)} as repeat_rate_bp,
    {round_div(100 * order_count, customer_count)} as orders_per_customer_x100
from totals

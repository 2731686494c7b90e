-- Of the customers with a recognized order in the range, the share who are repeat buyers:
-- two or more recognized orders by the range's end, those before the range included (a
-- customer who first ordered in 2023 and again in 2024 repeats in 2024). Orders per
-- customer are the range's own.
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

customers as (
    select
        c.order_count,
        case
            when c.order_count >= 2 then 1
            when exists (
                select 1
                from orders as e
                where e.user_id = c.user_id
                    and {recognized(e.status)}
                    and e.created_at < :since
            ) then 1
            else 0
        end as is_repeat
    from customer_orders as c
),

totals as (
    select
        count(*) as customer_count,
        coalesce(sum(is_repeat), 0) as repeat_customer_count,
        coalesce(sum(order_count), 0) as order_count
    from customers
)

select
    customer_count,
    repeat_customer_count,
    {ratio_bp(repeat_customer_count, customer_count)} as repeat_rate_bp,
    {round_div(100 * order_count, customer_count)} as orders_per_customer_x100
from totals

-- repeat_purchase_rate over all history from the per-customer rollup.
with totals as (
    select
        count(*) as customer_count,
        coalesce(sum(case when order_count >= 2 then 1 else 0 end), 0) as repeat_customer_count,
        coalesce(sum(order_count), 0) as order_count
    from customer_sales
    where order_count > 0
)

select
    customer_count,
    repeat_customer_count,
    {ratio_bp(repeat_customer_count, customer_count)} as repeat_rate_bp,
    {round_div(100 * order_count, customer_count)} as orders_per_customer_x100
from totals

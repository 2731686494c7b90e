-- Per UTC month: revenue of customers' first recognized orders (new customers) against
-- their later ones (returning). First is judged over all history, so an order in the
-- range is returning when the customer ordered before the range began.
with numbered_orders as (
    select
        o.user_id,
        o.created_at,
        o.total_cents,
        row_number() over (
            partition by o.user_id
            order by o.created_at, o.order_id
        ) as order_number
    from orders as o
    where {recognized(o.status)}
),

in_range as (
    select
        {month_index(created_at)} as month_index,
        user_id,
        order_number,
        total_cents
    from numbered_orders
    where created_at >= :since
        and created_at < :until
),

by_month as (
    select
        month_index,
        sum(case when order_number = 1 then 1 else 0 end) as new_customer_count,
        sum(case when order_number = 1 then total_cents else 0 end) as new_revenue_cents,
        count(distinct case when order_number > 1 then user_id end) as returning_customer_count,
        sum(case when order_number > 1 then total_cents else 0 end) as returning_revenue_cents,
        sum(total_cents) as revenue_cents
    from in_range
    group by month_index
)

select
    {month_label(month_index)} as month,
    new_customer_count,
    new_revenue_cents,
    returning_customer_count,
    returning_revenue_cents,
    {ratio_bp(returning_revenue_cents, revenue_cents)} as returning_share_bp
from by_month
order by month_index

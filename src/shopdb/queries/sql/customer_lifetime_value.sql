-- Historic lifetime value: what the customers of each first-order cohort have spent
-- on recognized orders so far, per customer. The first order is judged over all
-- history: since and until choose the cohorts shown (customers whose first order falls
-- in the range), and their spend counts up to until.
with recognized_orders as (
    select
        o.user_id,
        o.created_at,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at < :until
),

customers as (
    select
        user_id,
        count(*) as order_count,
        sum(total_cents) as spend_cents,
        min(created_at) as first_order_at,
        max(created_at) as last_order_at
    from recognized_orders
    group by user_id
),

customer_spans as (
    select
        {month_index(first_order_at)} as cohort_index,
        order_count,
        spend_cents,
        {days_between(first_order_at, last_order_at)} as lifespan_days
    from customers
    where first_order_at >= :since
),

cohorts as (
    select
        cohort_index,
        count(*) as customer_count,
        sum(order_count) as order_count,
        sum(spend_cents) as revenue_cents,
        sum(lifespan_days) as lifespan_days
    from customer_spans
    group by cohort_index
)

select
    {month_label(cohort_index)} as cohort_month,
    customer_count,
    order_count,
    revenue_cents,
    {round_div(revenue_cents, customer_count)} as clv_cents,
    {round_div(revenue_cents, order_count)} as aov_cents,
    {round_div(100 * order_count, customer_count)} as orders_per_customer_x100,
    {round_div(lifespan_days, customer_count)} as avg_lifespan_days
from cohorts
order by cohort_index

-- customer_lifetime_value over all history from the per-customer rollup.
with customer_spans as (
    select
        {month_index(first_order_at)} as cohort_index,
        order_count,
        spend_cents,
        {days_between(first_order_at, last_order_at)} as lifespan_days
    from customer_sales
    where order_count > 0
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

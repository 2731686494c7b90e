-- customer_lifetime_value from the per-customer rollup, for any range: the cohorts of
-- the customers whose first recognized order falls in [since, until), as
-- customer_sales keeps them exact in every service transaction. A customer's row
-- counts all their orders; one who also bought from until on (nobody, for a range that
-- ends now) is counted from their orders before until instead.
with cohort_customers as (
    select
        user_id,
        order_count,
        spend_cents,
        first_order_at,
        last_order_at
    from customer_sales
    where first_order_at >= :since
        and first_order_at < :until
),

-- the customers whose row counts orders from until on, counted again without them;
-- correlated subqueries, an index range of orders by (user_id, created_at) each: a
-- join would let MariaDB scan every order instead
recounted as (
    select
        c.first_order_at,
        (
            select count(*)
            from orders as o
            where o.user_id = c.user_id
                and o.created_at < :until
                and {recognized(o.status)}
        ) as order_count,
        (
            select sum(o.total_cents)
            from orders as o
            where o.user_id = c.user_id
                and o.created_at < :until
                and {recognized(o.status)}
        ) as spend_cents,
        (
            select max(o.created_at)
            from orders as o
            where o.user_id = c.user_id
                and o.created_at < :until
                and {recognized(o.status)}
        ) as last_order_at
    from cohort_customers as c
    where c.last_order_at >= :until
),

customer_spans as (
    select
        {month_index(first_order_at)} as cohort_index,
        order_count,
        spend_cents,
        {days_between(first_order_at, last_order_at)} as lifespan_days
    from cohort_customers
    where last_order_at < :until
    union all
    select
        {month_index(first_order_at)} as cohort_index,
        order_count,
        spend_cents,
        {days_between(first_order_at, last_order_at)} as lifespan_days
    from recounted
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

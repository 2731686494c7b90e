-- Customers grouped by the month of their first recognized order (their cohort), and
-- for each later month up to the last month with orders, how many ordered again. The
-- first order is judged over all history: since and until choose which cohorts are
-- shown (those whose first order falls in the range) and where the months end.
with recursive recognized_orders as (
    select
        o.user_id,
        o.created_at,
        {month_index(o.created_at)} as month_index
    from orders as o
    where {recognized(o.status)}
        and o.created_at < :until
),

customer_months as (
    select distinct
        user_id,
        month_index
    from recognized_orders
),

first_orders as (
    select
        user_id,
        min(created_at) as first_order_at,
        min(month_index) as cohort_index
    from recognized_orders
    group by user_id
),

cohorts as (
    select
        user_id,
        cohort_index
    from first_orders
    where first_order_at >= :since
),

cohort_sizes as (
    select
        cohort_index,
        count(*) as cohort_size
    from cohorts
    group by cohort_index
),

activity as (
    select
        c.cohort_index,
        m.month_index - c.cohort_index as months_since_first,
        count(*) as active_customers
    from customer_months as m
    inner join cohorts as c on c.user_id = m.user_id
    -- by the two columns (not their difference), which MariaDB's ONLY_FULL_GROUP_BY
    -- cannot match once it merges the cohorts into this query
    group by
        c.cohort_index,
        m.month_index
),

offsets (months_since_first) as (
    {integer_series(
        offsets,
        months_since_first,
        0,
        (select max(month_index) - min(month_index) from customer_months)
    )}
),

grid as (
    select
        s.cohort_index,
        s.cohort_size,
        o.months_since_first
    from cohort_sizes as s
    inner join offsets as o
        on s.cohort_index + o.months_since_first
        <= (select max(month_index) from customer_months)
)

select
    {month_label(g.cohort_index)} as cohort_month,
    g.months_since_first,
    g.cohort_size,
    coalesce(a.active_customers, 0) as active_customers,
    {ratio_bp(coalesce(a.active_customers, 0), g.cohort_size)} as retention_bp
from grid as g
left join activity as a
    on a.cohort_index = g.cohort_index
    and a.months_since_first = g.months_since_first
order by
    g.cohort_index,
    g.months_since_first

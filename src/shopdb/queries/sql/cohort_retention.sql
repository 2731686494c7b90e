-- Customers grouped by the month of their first recognized order (their cohort), and
-- for each later month up to the last month with orders, how many ordered again. The
-- first order is judged over all history: since and until choose which cohorts are
-- shown (those whose first order falls in the range) and where the months end.
--
-- Each CTE is read once, so orders are scanned once on every backend (MariaDB computes
-- a CTE again for every reference): each customer's first month comes from a window over
-- their months, the last month from a window over the grouped cohort-months, and the
-- cohort sizes are the cohorts' own first months (every customer is active in their
-- first month). DuckDB turns the window over customer-months into a join of two copies
-- of them: it computes them once (a materialized CTE there).
with recursive recognized_orders as (
    select
        o.user_id,
        o.created_at,
        {month_index(o.created_at)} as month_index
    from orders as o
    where {recognized(o.status)}
        and o.created_at < :until
),

{materialized(customer_months)} (
    select
        user_id,
        month_index,
        min(created_at) as first_in_month_at
    from recognized_orders
    group by
        user_id,
        month_index
),

members as (
    select
        month_index,
        min(month_index) over (partition by user_id) as cohort_index,
        -- 1 when the customer's first order is on or after since (an integer: MariaDB
        -- sorts a window of timestamps twice as slowly)
        min(case when first_in_month_at < :since then 0 else 1 end)
            over (partition by user_id) as is_shown
    from customer_months
),

-- every cohort's months, shown or not: the last month counts the hidden ones too
activity as (
    select
        cohort_index,
        month_index,
        is_shown,
        count(*) as active_customers
    from members
    group by
        cohort_index,
        month_index,
        is_shown
),

-- the last month over the few grouped rows (over all customer-months, MariaDB 10.11
-- spends minutes on an empty OVER ())
shown as (
    select
        cohort_index,
        month_index,
        active_customers,
        max(month_index) over () as last_index,
        is_shown
    from activity
),

-- enough offsets for any cohort: the months from the first order to the last (each a
-- single look-up of an index end)
order_span (first_at, last_at) as (
    select
        (select min(f.created_at) from orders as f),
        (select max(l.created_at) from orders as l)
),

offsets (months_since_first) as (
    {integer_series(
        offsets,
        months_since_first,
        0,
        (select {month_index(last_at)} - {month_index(first_at)} from order_span)
    )}
),

grid as (
    select
        a.cohort_index,
        o.months_since_first,
        sum(
            case when a.month_index = a.cohort_index then a.active_customers else 0 end
        ) as cohort_size,
        sum(
            case
                when a.month_index = a.cohort_index + o.months_since_first
                    then a.active_customers
                else 0
            end
        ) as active_customers
    from shown as a
    inner join offsets as o on a.cohort_index + o.months_since_first <= a.last_index
    where a.is_shown = 1
    group by
        a.cohort_index,
        o.months_since_first
)

select
    {month_label(cohort_index)} as cohort_month,
    months_since_first,
    cohort_size,
    active_customers,
    {ratio_bp(active_customers, cohort_size)} as retention_bp
from grid
order by
    cohort_index,
    months_since_first

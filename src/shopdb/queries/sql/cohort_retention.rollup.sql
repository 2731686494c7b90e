-- cohort_retention from the cohort rollup: customer_cohorts (customers by the day of
-- their first recognized order, counted in each month with a recognized order of theirs)
-- plus the changes not yet folded in, for the first days in the range. The months before
-- until's month are whole there. Until's own month is too when no order was placed at or
-- after until (a range that ends today); otherwise its customers are those with a
-- recognized order in it before until, their first orders from customer_sales. The last
-- month is the last with a recognized order before until (sales_daily). Exact when since
-- and until are midnights.
with recursive members as (
    select
        cohort_index,
        month_index,
        customer_count
    from customer_cohorts
    where first_day_index >= :d_since
        and first_day_index < :d_until
        and month_index < :c_month
    union all
    select
        cohort_index,
        month_index,
        customer_count
    from customer_cohort_deltas
    where first_day_index >= :d_since
        and first_day_index < :d_until
        and month_index < :c_month
    union all
    select
        cohort_index,
        month_index,
        customer_count
    from customer_cohorts
    where first_day_index >= :d_since
        and first_day_index < :d_until
        and month_index = :c_month
        and not exists (select 1 from orders as l where l.created_at >= :until)
    union all
    select
        cohort_index,
        month_index,
        customer_count
    from customer_cohort_deltas
    where first_day_index >= :d_since
        and first_day_index < :d_until
        and month_index = :c_month
        and not exists (select 1 from orders as l where l.created_at >= :until)
    union all
    select
        {month_index(cs.first_order_at)},
        :c_month,
        1
    from (
        select distinct o.user_id
        from orders as o
        where {recognized(o.status)}
            and o.created_at >= :c_month_start
            and o.created_at < :until
            and exists (select 1 from orders as l where l.created_at >= :until)
    ) as u
    inner join customer_sales as cs on cs.user_id = u.user_id
    where cs.first_order_at >= :since
),

-- zeros left out: a cohort whose customers all moved away has no rows
activity as (
    select
        cohort_index,
        month_index,
        sum(customer_count) as active_customers
    from members
    group by
        cohort_index,
        month_index
    having sum(customer_count) <> 0
),

recognized_days as (
    select
        month_index,
        order_count
    from sales_daily
    where day_index < :d_until
    union all
    select
        month_index,
        order_count
    from rollup_deltas
    where product_id is null
        and day_index < :d_until
),

last_month as (
    select max(month_index) as last_index
    from (
        select
            month_index,
            sum(order_count) as order_count
        from recognized_days
        group by month_index
    ) as m
    where order_count > 0
),

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
    from activity as a
    cross join last_month as lm
    inner join offsets as o on a.cohort_index + o.months_since_first <= lm.last_index
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

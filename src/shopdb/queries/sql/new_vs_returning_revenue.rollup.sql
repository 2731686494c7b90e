-- new_vs_returning_revenue from the rollups, for any range of whole days, cut into its
-- calendar months (a month's part of the range is its bucket). Revenue, new customers
-- and their first orders' revenue per day from sales_daily; a bucket's returning
-- customers are those who bought in it and before it plus its new customers whose
-- second order is in it too (customer_first_two_days; two orders on one day count),
-- each read by equality on a day or a month, never by a range join. Each plus its
-- changes not yet folded; customer_first_two_days is folded by the refresher only, so
-- the customers the unfolded order rows of rollup_deltas name count as they are now,
-- looked at in their orders.
with day_sales as (
    select
        day_index,
        month_index,
        order_count,
        revenue_cents,
        new_customer_count,
        new_revenue_cents
    from sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        day_index,
        month_index,
        order_count,
        revenue_cents,
        new_customer_count,
        new_revenue_cents
    from rollup_deltas
    where product_id is null
        and day_index >= :d_since
        and day_index < :d_until
),

-- the range's days with a sales row, folded or not: every day holding a recognized
-- order, or a customer-day or a customer's second order, folded or not, has one
days as (
    select
        day_index,
        min(month_index) as month_index
    from day_sales
    group by day_index
),

by_month as (
    select
        month_index,
        sum(new_customer_count) as new_customer_count,
        sum(new_revenue_cents) as new_revenue_cents,
        sum(revenue_cents) as revenue_cents
    from day_sales
    group by month_index
    having sum(order_count) > 0
),

-- each day with its bucket's first day: its month's, or the range's when later
day_buckets as (
    select
        day_index,
        month_index,
        case
            when {month_start_day(month_index)} > :d_since
                then {month_start_day(month_index)}
            else :d_since
        end as b_start
    from days
),

-- customers of the bucket who bought before it: in the range's whole months
-- [m_from, m_to), the active customers of earlier cohorts (customer_cohorts, about a
-- thousand rows a month); in the days around them (before d_head_end, from
-- d_tail_start on), those whose first day in the bucket links to an earlier day
-- (customer_days)
bought_before as (
    select
        month_index,
        customer_count
    from customer_cohorts
    where month_index >= :m_from
        and month_index < :m_to
        and cohort_index < month_index
    union all
    select
        month_index,
        customer_count
    from customer_cohort_deltas
    where month_index >= :m_from
        and month_index < :m_to
        and cohort_index < month_index
    union all
    select
        db.month_index,
        cd.customer_count
    from day_buckets as db
    {join_after(customer_days)} as cd
        on cd.day_index = db.day_index
        and cd.prev_day_index >= 0
        and cd.prev_day_index < db.b_start
    where db.day_index < :d_head_end
        or db.day_index >= :d_tail_start
    union all
    select
        db.month_index,
        cd.customer_count
    from day_buckets as db
    {join_after(customer_day_deltas)} as cd
        on cd.day_index = db.day_index
        and cd.prev_day_index >= 0
        and cd.prev_day_index < db.b_start
    where db.day_index < :d_head_end
        or db.day_index >= :d_tail_start
),

-- new customers of the bucket with a second order in it, as folded: for each day, the
-- customers whose second order is on it and first in the bucket
second_in_bucket as (
    select
        db.month_index,
        f.customer_count
    from day_buckets as db
    {join_after(customer_first_two_days)} as f
        on f.second_day_index = db.day_index
        and f.first_day_index >= db.b_start
    where f.second_day_index >= :d_since
        and f.second_day_index < :d_until
),

pending as (
    select
        order_id,
        sum(order_count) as order_count
    from rollup_deltas
    where order_id is not null
    group by order_id
),

pending_users as (
    select distinct o.user_id
    from pending as p
    inner join orders as o on o.order_id = p.order_id
    where p.order_count <> 0
),

-- their orders: recognized now, and as the folded rows count them
user_orders as (
    select
        pu.user_id,
        o.created_at,
        o.order_id,
        case when {recognized(o.status)} then 1 else 0 end as now_in,
        case when {recognized(o.status)} then 1 else 0 end
        - coalesce(p.order_count, 0) as folded_in
    from pending_users as pu
    inner join orders as o on o.user_id = pu.user_id
    left join pending as p on p.order_id = o.order_id
),

numbered as (
    select
        user_id,
        1 as side,
        {day_index(created_at)} as day_index,
        row_number() over (
            partition by user_id
            order by created_at, order_id
        ) as order_number
    from user_orders
    where now_in = 1
    union all
    select
        user_id,
        -1 as side,
        {day_index(created_at)} as day_index,
        row_number() over (
            partition by user_id
            order by created_at, order_id
        ) as order_number
    from user_orders
    where folded_in = 1
),

first_two as (
    select
        user_id,
        side,
        min(case when order_number = 1 then day_index end) as first_day_index,
        max(case when order_number = 2 then day_index end) as second_day_index
    from numbered
    where order_number <= 2
    group by
        user_id,
        side
),

-- now counted in, as folded counted out
second_pending as (
    select
        db.month_index,
        f.side as customer_count
    from day_buckets as db
    inner join first_two as f
        on f.second_day_index = db.day_index
        and f.first_day_index >= db.b_start
),

returning_customers as (
    select
        month_index,
        sum(customer_count) as customer_count
    from (
        select
            month_index,
            customer_count
        from bought_before
        union all
        select
            month_index,
            customer_count
        from second_in_bucket
        union all
        select
            month_index,
            customer_count
        from second_pending
    ) as parts
    group by month_index
)

select
    {month_label(m.month_index)} as month,
    m.new_customer_count,
    m.new_revenue_cents,
    coalesce(r.customer_count, 0) as returning_customer_count,
    m.revenue_cents - m.new_revenue_cents as returning_revenue_cents,
    {ratio_bp(m.revenue_cents - m.new_revenue_cents, m.revenue_cents)} as returning_share_bp
from by_month as m
left join returning_customers as r on r.month_index = m.month_index
order by m.month_index

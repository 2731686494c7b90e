-- customer_lifetime_value from the rollups, for any range: the cohorts of the customers
-- whose first recognized order falls in [since, until), read from
-- customer_first_day_totals (a row per day of a first order) for the range's whole days
-- [lt_d_since, lt_d_until). Those rows count each customer's orders over all of history
-- as folded, so a few customers are counted from their orders instead: those the
-- unfolded order rows of rollup_deltas name, and the cohort's customers with an order
-- in the range's cut first day or from until's day on (nobody, for a range that ends
-- now). Each of them is taken out of the rows as folded and added as they are now,
-- counting their orders before until only.
with day_totals as (
    select
        month_index,
        customer_count,
        order_count,
        spend_cents,
        lifespan_days
    from customer_first_day_totals
    where first_day_index >= :lt_d_since
        and first_day_index < :lt_d_until
),

pending as (
    select
        order_id,
        sum(order_count) as order_count
    from rollup_deltas
    where order_id is not null
    group by order_id
),

-- the customers counted from their orders: any customer may be (their rows come out
-- and go in again), these must be
recounted_users as (
    select o.user_id
    from pending as p
    inner join orders as o on o.order_id = p.order_id
    where p.order_count <> 0
    union
    select o.user_id
    from orders as o
    {join_after(customer_sales)} as c on c.user_id = o.user_id
    where o.created_at >= :since
        and o.created_at < :lt_since_ceiling_at
        and c.first_order_at >= :since
        and c.first_order_at < :until
    union
    select o.user_id
    from orders as o
    {join_after(customer_sales)} as c on c.user_id = o.user_id
    where o.created_at >= :lt_until_floor_at
        and c.first_order_at >= :since
        and c.first_order_at < :until
),

user_orders as (
    select
        u.user_id,
        o.created_at,
        o.total_cents,
        case when {recognized(o.status)} then 1 else 0 end as now_in,
        case when {recognized(o.status)} then 1 else 0 end
        - coalesce(p.order_count, 0) as folded_in
    from recounted_users as u
    {join_after(orders)} as o on o.user_id = u.user_id
    left join pending as p on p.order_id = o.order_id
),

-- each of them as the folded rows count them: all of history
as_folded as (
    select
        min(created_at) as first_order_at,
        max(created_at) as last_order_at,
        count(*) as order_count,
        sum(total_cents) as spend_cents
    from user_orders
    where folded_in > 0
    group by user_id
),

-- and as they are now, up to until
as_now as (
    select
        min(created_at) as first_order_at,
        max(created_at) as last_order_at,
        count(*) as order_count,
        sum(total_cents) as spend_cents
    from user_orders
    where now_in = 1
        and created_at < :until
    group by user_id
),

customer_spans as (
    select
        month_index as cohort_index,
        customer_count,
        order_count,
        spend_cents,
        lifespan_days
    from day_totals
    union all
    select
        {month_index(first_order_at)},
        -1,
        -order_count,
        -spend_cents,
        -{days_between(first_order_at, last_order_at)}
    from as_folded
    where {day_index(first_order_at)} >= :lt_d_since
        and {day_index(first_order_at)} < :lt_d_until
    union all
    select
        {month_index(first_order_at)},
        1,
        order_count,
        spend_cents,
        {days_between(first_order_at, last_order_at)}
    from as_now
    where first_order_at >= :since
        and first_order_at < :until
),

cohorts as (
    select
        cohort_index,
        sum(customer_count) as customer_count,
        sum(order_count) as order_count,
        sum(spend_cents) as revenue_cents,
        sum(lifespan_days) as lifespan_days
    from customer_spans
    group by cohort_index
    having sum(customer_count) <> 0
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

-- repeat_purchase_rate from the rollups, for any range of whole days: the range's
-- customers from customer_days (as dashboard_kpis), its orders from sales_daily, each
-- plus its changes not yet folded; the customers who do not repeat (exactly one
-- recognized order before until, placed in the range) from customer_first_two_days,
-- read one of two equal ways (the binds choose, as revenue_by_country's customers): the
-- range's new customers less those whose second order is in the range too, or the
-- customers whose first order is in the range and second from until on (2932896: none).
-- The customers the unfolded order rows of rollup_deltas name count as they are now
-- instead of as the folded rows count them, looked at in their orders.
with first_days as (
    select customer_count
    from customer_days
    where day_index >= :d_since
        and day_index < :d_until
        and prev_day_index < :d_since
    union all
    select customer_count
    from customer_day_deltas
    where day_index >= :d_since
        and day_index < :d_until
        and prev_day_index < :d_since
),

range_orders as (
    select order_count
    from sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select order_count
    from rollup_deltas
    where product_id is null
        and day_index >= :d_since
        and day_index < :d_until
),

-- the range's new customers, now (read A only)
new_customers as (
    select new_customer_count as customer_count
    from sales_daily
    where day_index >= :cc_f1_since
        and day_index < :cc_f1_until
    union all
    select new_customer_count
    from rollup_deltas
    where day_index >= :cc_f1_since
        and day_index < :cc_f1_until
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

-- their orders before until: recognized now, and as the folded rows count them
user_orders as (
    select
        pu.user_id,
        case when o.created_at < :since then 1 else 0 end as is_before,
        case when {recognized(o.status)} then 1 else 0 end as now_in,
        case when {recognized(o.status)} then 1 else 0 end
        - coalesce(p.order_count, 0) as folded_in
    from pending_users as pu
    inner join orders as o on o.user_id = pu.user_id
    left join pending as p on p.order_id = o.order_id
    where o.created_at < :until
),

user_counts as (
    select
        sum(now_in) as now_orders,
        sum(is_before * now_in) as now_before,
        sum(folded_in) as folded_orders,
        sum(is_before * folded_in) as folded_before
    from user_orders
    group by user_id
),

one_time as (
    -- read A: new customers less those with a second order in the range
    select customer_count
    from new_customers
    union all
    select -customer_count
    from customer_first_two_days
    where second_day_index >= :cc_f1_since
        and second_day_index < :cc_f1_until
        and first_day_index >= :d_since
    union all
    -- read B: first order in the range, second from until on
    select customer_count
    from customer_first_two_days
    where second_day_index >= :cc_f2_from
        and second_day_index <= :cc_terminal
        and first_day_index >= :d_since
        and first_day_index < :d_until
    union all
    -- the unfolded customers as they are now: read B counts them (one order before
    -- until, none before since), read A's subtracted part does (two or more, none before)
    select
        case
            when :cc_terminal > 0 then
                case when now_orders = 1 and now_before = 0 then 1 else 0 end
                - case when folded_orders = 1 and folded_before = 0 then 1 else 0 end
            else
                case when folded_orders >= 2 and folded_before = 0 then 1 else 0 end
                - case when now_orders >= 2 and now_before = 0 then 1 else 0 end
        end
    from user_counts
),

customer_totals as (
    select coalesce(sum(customer_count), 0) as customer_count
    from first_days
),

one_time_totals as (
    select coalesce(sum(customer_count), 0) as one_time_count
    from one_time
),

order_totals as (
    select coalesce(sum(order_count), 0) as order_count
    from range_orders
)

select
    c.customer_count,
    c.customer_count - t.one_time_count as repeat_customer_count,
    {ratio_bp(c.customer_count - t.one_time_count, c.customer_count)} as repeat_rate_bp,
    {round_div(100 * o.order_count, c.customer_count)} as orders_per_customer_x100
from customer_totals as c
cross join one_time_totals as t
cross join order_totals as o

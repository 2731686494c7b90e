-- rfm_segments from the per-customer rollup: a customer whose last recognized order was
-- placed by as_of has all of them by then, so their customer_sales row is their whole
-- answer; only the customers with an order after as_of (none when as_of is now) are
-- summed again from their own orders, through the orders index on (user_id, created_at).
with later_customers as (
    select user_id
    from customer_sales
    where last_order_at > :as_of
),

customer_orders as (
    select
        user_id,
        order_count,
        spend_cents,
        last_order_at
    from customer_sales
    where last_order_at <= :as_of
    union all
    select
        o.user_id,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents,
        max(o.created_at) as last_order_at
    from later_customers as lc
    inner join orders as o on o.user_id = lc.user_id
    where {recognized(o.status)}
        and o.created_at <= :as_of
    group by o.user_id
),

customer_recency as (
    select
        user_id,
        order_count,
        spend_cents,
        {days_between(last_order_at, :as_of)} as recency_days
    from customer_orders
),

ranked as (
    select
        user_id,
        order_count,
        spend_cents,
        recency_days,
        rank() over (order by recency_days desc) as recency_rank,
        rank() over (order by order_count) as frequency_rank,
        rank() over (order by spend_cents) as monetary_rank,
        count(*) over () as customer_count
    from customer_recency
),

scored as (
    select
        order_count,
        spend_cents,
        recency_days,
        1 + {div(5 * (recency_rank - 1), customer_count)} as r_score,
        1 + {div(5 * (frequency_rank - 1), customer_count)} as f_score,
        customer_count
    from ranked
),

segmented as (
    select
        case
            when r_score >= 4 and f_score >= 4 then 'champions'
            when r_score <= 2 and f_score >= 4 then 'at_risk'
            when f_score >= 4 then 'loyal'
            when r_score >= 4 then 'promising'
            when r_score <= 2 then 'hibernating'
            else 'needs_attention'
        end as segment,
        order_count,
        spend_cents,
        recency_days,
        customer_count
    from scored
),

segments as (
    select
        segment,
        count(*) as customer_count,
        sum(order_count) as order_count,
        sum(spend_cents) as revenue_cents,
        sum(recency_days) as recency_days,
        max(customer_count) as all_customers
    from segmented
    group by segment
)

select
    segment,
    customer_count,
    order_count,
    revenue_cents,
    {round_div(revenue_cents, customer_count)} as avg_spend_cents,
    {round_div(recency_days, customer_count)} as avg_recency_days,
    {ratio_bp(customer_count, all_customers)} as customer_share_bp
from segments
order by
    revenue_cents desc,
    segment

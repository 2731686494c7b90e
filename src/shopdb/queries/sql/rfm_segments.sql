-- Each customer with a recognized order placed by as_of gets recency, frequency and
-- monetary scores from 1 to 5 by rank among all customers (ties share a score), then
-- a segment; one row per segment.
with customer_orders as (
    select
        o.user_id,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents,
        max(o.created_at) as last_order_at
    from orders as o
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
        {rfm_score(recency_rank, customer_count)} as r_score,
        {rfm_score(frequency_rank, customer_count)} as f_score,
        customer_count
    from ranked
),

segmented as (
    select
        {rfm_segment(r_score, f_score)} as segment,
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

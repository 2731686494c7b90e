-- The RFM scores and segment of the customers in user_ids, ranked among every customer
-- with a recognized order as rfm_segments ranks them (as_of its end of history, a
-- midnight), from RFM's groups of customers (customer_recency_frequency and its
-- unfolded deltas, a few thousand rows). A rank is 1 + the customers ranked before:
-- counted per order count and per recency, so no customer-by-customer ranking is needed.
with histogram as (
    select
        recency_from_day,
        order_count,
        customer_count
    from customer_recency_frequency
    union all
    select
        recency_from_day,
        order_count,
        customer_count
    from customer_rf_deltas
),

frequencies as (
    select
        order_count,
        sum(customer_count) as customer_count
    from histogram
    group by order_count
    having sum(customer_count) <> 0
),

recencies as (
    select
        :d_as_of - recency_from_day as recency_days,
        sum(customer_count) as customer_count
    from histogram
    group by recency_from_day
    having sum(customer_count) <> 0
),

-- rank() over (order by order_count): 1 + the customers with fewer orders
frequency_ranks as (
    select
        order_count,
        1 + sum(customer_count) over (order by order_count) - customer_count as frequency_rank,
        sum(customer_count) over () as all_customers
    from frequencies
),

-- rank() over (order by recency_days desc): 1 + the customers whose last order is older
recency_ranks as (
    select
        recency_days,
        1 + sum(customer_count) over (order by recency_days desc) - customer_count
        as recency_rank
    from recencies
),

-- the chosen customers are read by key from the per-customer rollup, their recency
-- counted from the same day as their group's
chosen as (
    select
        user_id,
        order_count,
        :d_as_of - {day_ceiling(last_order_at)} as recency_days
    from customer_sales
    where user_id in :user_ids
        and order_count > 0
),

scored as (
    select
        c.user_id,
        {rfm_score(r.recency_rank, f.all_customers)} as r_score,
        {rfm_score(f.frequency_rank, f.all_customers)} as f_score
    from chosen as c
    inner join frequency_ranks as f on f.order_count = c.order_count
    inner join recency_ranks as r on r.recency_days = c.recency_days
)

select
    user_id,
    r_score,
    f_score,
    {rfm_segment(r_score, f_score)} as segment
from scored
order by user_id

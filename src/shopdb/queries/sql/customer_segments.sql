-- The RFM scores and segment of the customers in user_ids, ranked among every customer
-- with a recognized order as rfm_segments ranks them (as_of its end of history), from
-- the per-customer rollup. A rank is 1 + the customers ranked before: counted per
-- order count and per recency, so no customer-by-customer ranking is needed.
with customers as (
    select
        user_id,
        order_count,
        {days_between(last_order_at, :as_of)} as recency_days
    from customer_sales
    where order_count > 0
),

frequencies as (
    select
        order_count,
        count(*) as customer_count
    from customers
    group by order_count
),

recencies as (
    select
        recency_days,
        count(*) as customer_count
    from customers
    group by recency_days
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

-- the chosen customers are read by key from the rollup, not from the scan above
chosen as (
    select
        user_id,
        order_count,
        {days_between(last_order_at, :as_of)} as recency_days
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

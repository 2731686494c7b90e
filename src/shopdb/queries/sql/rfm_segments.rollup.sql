-- rfm_segments from the rollups. A segment depends on a customer's recency and
-- frequency alone, so customers are counted in groups of the two, and a rank (one more
-- than the customers ranked before) is a running sum over the distinct recencies and
-- order counts: no sort of every customer, as the base form's rank() needs (three of
-- them, one unused).
-- At a midnight as_of (as_of_midnight 1: the dashboard's range ends, the customer
-- pages' end of history) the groups come from customer_recency_frequency and its
-- unfolded deltas: a customer's recency there is as_of's day less the day their
-- recency counts from, a few thousand rows in all. At any other as_of a recency depends
-- on the time of day of each last order, so the groups come from customer_sales, one
-- row per customer. Either way a customer whose last recognized order was placed by
-- as_of has all of them by then; only the customers with an order after as_of (none
-- when as_of is now) are summed again from their own orders, found through the orders
-- index on (status, created_at) and summed through the one on (user_id, created_at).
with later_orders as (
    -- the customers with a recognized order after as_of, found by the status index (an
    -- IN list: a DISTINCT of them would read the whole per-customer index in SQLite)
    select
        o.user_id,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents,
        max(o.created_at) as last_order_at
    from orders as o
    where o.user_id in (
            select l.user_id
            from orders as l
            where {recognized(l.status)}
                and l.created_at > :as_of
        )
        and {recognized(o.status)}
        and o.created_at <= :as_of
    group by o.user_id
),

groups as (
    -- one union of the folded groups, their unfolded deltas and the per-customer rows
    -- (grouped before the union: MariaDB would copy every customer row into a
    -- temporary table to union them, as it copies every union it reads)
    select
        :d_as_of - recency_from_day as recency_days,
        order_count,
        customer_count,
        spend_cents
    from customer_recency_frequency
    where :as_of_midnight = 1
        and recency_from_day <= :d_as_of
    union all
    select
        :d_as_of - recency_from_day,
        order_count,
        customer_count,
        spend_cents
    from customer_rf_deltas
    where :as_of_midnight = 1
        and recency_from_day <= :d_as_of
    union all
    select
        {days_between(last_order_at, :as_of)},
        order_count,
        count(*),
        sum(spend_cents)
    from customer_sales
    where :as_of_midnight = 0
        and last_order_at <= :as_of
    group by
        {days_between(last_order_at, :as_of)},
        order_count
    union all
    select
        {days_between(last_order_at, :as_of)},
        order_count,
        count(*),
        sum(spend_cents)
    from later_orders
    group by
        {days_between(last_order_at, :as_of)},
        order_count
),

recency_scores as (
    -- R depends on the recency alone: ranked over its ~1,100 distinct days instead of
    -- the ~12,000 groups (each group joins its score below; MariaDB took 57 ms for the
    -- windows over the groups). A rank is 1 + the customers ranked before: those
    -- strictly past this recency, a running sum that stops one before the group's
    -- value (whole days: integers). Summed from the groups themselves (MariaDB computes
    -- a CTE once per reference: the union is the cheapest to compute again); a recency
    -- no customer has now (its rows' deltas cancel out) is left out, and its groups,
    -- all zeros, with it. Grouped once more by its key (a no-op): SQLite indexes a
    -- grouped result it joins to, never a windowed one, and would scan it per group
    select
        recency_days,
        max(r_score) as r_score,
        max(all_customers) as all_customers
    from (
        select
            recency_days,
            {rfm_score(
                1 + coalesce(sum(customer_count) over (
                    order by recency_days desc
                    range between unbounded preceding and 1 preceding
                ), 0),
                sum(customer_count) over ()
            )} as r_score,
            sum(customer_count) over () as all_customers
        from (
            select
                recency_days,
                sum(customer_count) as customer_count
            from groups
            group by recency_days
            having sum(customer_count) <> 0
        ) as by_recency
    ) as ranked
    group by recency_days
),

frequency_scores as (
    -- F the same over the order counts (a few dozen)
    select
        order_count,
        max(f_score) as f_score
    from (
        select
            order_count,
            {rfm_score(
                1 + coalesce(sum(customer_count) over (
                    order by order_count
                    range between unbounded preceding and 1 preceding
                ), 0),
                sum(customer_count) over ()
            )} as f_score
        from (
            select
                order_count,
                sum(customer_count) as customer_count
            from groups
            group by order_count
            having sum(customer_count) <> 0
        ) as by_frequency
    ) as ranked
    group by order_count
),

scored as (
    select
        g.customer_count,
        g.order_count * g.customer_count as order_total,
        g.spend_cents,
        g.recency_days * g.customer_count as recency_total,
        r.r_score,
        f.f_score,
        r.all_customers
    -- cross joins with the keys in WHERE (the same inner join everywhere): SQLite takes
    -- a cross join's order as given, so the groups are scanned once and each score
    -- looked up (an automatic index), where it would nest the groups' scan innermost
    from groups as g
    cross join recency_scores as r
    cross join frequency_scores as f
    where r.recency_days = g.recency_days
        and f.order_count = g.order_count
),

segmented as (
    select
        {rfm_segment(r_score, f_score)} as segment,
        customer_count,
        order_total,
        spend_cents,
        recency_total,
        all_customers
    from scored
),

segments as (
    select
        segment,
        sum(customer_count) as customer_count,
        sum(order_total) as order_count,
        sum(spend_cents) as revenue_cents,
        sum(recency_total) as recency_days,
        max(all_customers) as all_customers
    from segmented
    group by segment
    -- a segment whose customers all moved away (groups of zeros folded) is no segment
    having sum(customer_count) <> 0
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

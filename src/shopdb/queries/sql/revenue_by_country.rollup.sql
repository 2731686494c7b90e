-- revenue_by_country from the rollups: orders and revenue per day and country from
-- country_sales_daily, customers from customer_country_days (each customer-country once:
-- see docs/schema.md), each plus what the unfolded order rows of rollup_deltas change.
-- The customers are read one of two equal ways, the binds choosing the cheaper and
-- emptying the other's day ranges: the range's days with prev_day_index < since, or the
-- terminal rows (day NO_LATER_DAY) with prev_day_index >= since less the days from
-- until on with prev_day_index < since.
with sales as (
    select
        country_code,
        order_count,
        revenue_cents
    from country_sales_daily
    where day_index >= :d_since
        and day_index < :d_until
    union all
    select
        coalesce(o.ship_country_code, '') as country_code,
        d.order_count,
        d.revenue_cents
    from rollup_deltas as d
    inner join orders as o on o.order_id = d.order_id
    where d.order_id is not null
        and d.day_index >= :d_since
        and d.day_index < :d_until
),

pending as (
    select
        order_id,
        sum(order_count) as order_count
    from rollup_deltas
    where order_id is not null
    group by order_id
),

-- the customer-countries whose orders the unfolded rows change
pending_pairs as (
    select distinct
        o.user_id,
        coalesce(o.ship_country_code, '') as country_code
    from pending as p
    inner join orders as o on o.order_id = p.order_id
    where p.order_count <> 0
),

-- their orders in the range, recognized now and as the folded rows count them
pair_orders as (
    select
        pp.user_id,
        pp.country_code,
        case when {recognized(o.status)} then 1 else 0 end as now_in,
        case when {recognized(o.status)} then 1 else 0 end
        - coalesce(p.order_count, 0) as folded_in
    from pending_pairs as pp
    inner join orders as o
        on o.user_id = pp.user_id
        and coalesce(o.ship_country_code, '') = pp.country_code
    left join pending as p on p.order_id = o.order_id
    where o.created_at >= :since
        and o.created_at < :until
),

customers as (
    select
        country_code,
        customer_count
    from customer_country_days
    where day_index >= :cc_f1_since
        and day_index < :cc_f1_until
        and prev_day_index < :d_since
    union all
    select
        country_code,
        customer_count
    from customer_country_days
    where day_index = :cc_terminal
        and prev_day_index >= :d_since
    union all
    select
        country_code,
        -customer_count
    from customer_country_days
    where day_index >= :cc_f2_from
        and day_index < :cc_f2_until
        and prev_day_index < :d_since
    union all
    select
        country_code,
        max(now_in) - max(folded_in)
    from pair_orders
    group by
        user_id,
        country_code
),

by_country as (
    select
        s.country_code,
        s.order_count,
        s.revenue_cents,
        coalesce(c.customer_count, 0) as customer_count
    from (
        select
            country_code,
            sum(order_count) as order_count,
            sum(revenue_cents) as revenue_cents
        from sales
        group by country_code
    ) as s
    left join (
        select
            country_code,
            sum(customer_count) as customer_count
        from customers
        group by country_code
    ) as c on c.country_code = s.country_code
    where s.order_count <> 0
),

shares as (
    select
        case when country_code = '' then null else country_code end as country_code,
        order_count,
        customer_count,
        revenue_cents,
        sum(revenue_cents) over () as total_cents
    from by_country
)

select
    country_code,
    order_count,
    customer_count,
    revenue_cents,
    {ratio_bp(revenue_cents, total_cents)} as share_bp
from shares
order by
    revenue_cents desc,
    case when country_code is null then 1 else 0 end,
    country_code
limit :limit

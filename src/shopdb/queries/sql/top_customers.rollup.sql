-- top_customers from the per-customer rollup, for any range. Nobody spends more in a
-- range than over all history (customer_sales, exact in every service transaction), so
-- once some customers' spend in the range is known, the limit-th best of them is a bar
-- that only customers whose all-history spend reaches it can pass: only their orders
-- in the range are read, not every order in it. The biggest spenders of all history
-- (the leaders bind: four times the limit, or the limit over all history, where their
-- spend is the bar) set it; fewer than limit of them buying in the range sets none, and
-- every customer is read.
--
-- Each customer's spend is a correlated subquery, an index range of orders by
-- (user_id, created_at) per customer, read from the index alone (it holds status and
-- total, migration 0019): no planner can know how few pass the bar, and a
-- join would let it scan the range's orders instead (MariaDB has no LATERAL).
with leaders as (
    select user_id
    from customer_sales
    order by
        spend_cents desc,
        user_id
    limit :leaders
),

leader_spend as (
    select
        (
            select sum(o.total_cents)
            from orders as o
            where o.user_id = l.user_id
                and o.created_at >= :since
                and o.created_at < :until
                and {recognized(o.status)}
        ) as spend_cents
    from leaders as l
),

best_leaders as (
    select spend_cents
    from leader_spend
    where spend_cents is not null
    order by spend_cents desc
    limit :limit
),

-- an integer on every backend: compared with PostgreSQL's numeric sum, the column
-- would be cast and its index left unused
bar as (
    select
        case
            when count(*) = :limit then {div(min(spend_cents), 1)} else 0
        end as spend_cents
    from best_leaders
),

-- a customer who bought in the range last bought on or after since
candidates as (
    select c.user_id
    from bar as b
    cross join customer_sales as c
    where c.spend_cents >= b.spend_cents
        and c.last_order_at >= :since
),

candidate_spend as (
    select
        c.user_id,
        (
            select sum(o.total_cents)
            from orders as o
            where o.user_id = c.user_id
                and o.created_at >= :since
                and o.created_at < :until
                and {recognized(o.status)}
        ) as spend_cents
    from candidates as c
),

ranked as (
    select
        user_id,
        spend_cents
    from candidate_spend
    where spend_cents is not null
    order by
        spend_cents desc,
        user_id
    limit :limit
),

customer_totals as (
    select
        r.user_id,
        (
            select count(*)
            from orders as o
            where o.user_id = r.user_id
                and o.created_at >= :since
                and o.created_at < :until
                and {recognized(o.status)}
        ) as order_count,
        r.spend_cents as lifetime_spend_cents,
        (
            select max(o.created_at)
            from orders as o
            where o.user_id = r.user_id
                and o.created_at >= :since
                and o.created_at < :until
                and {recognized(o.status)}
        ) as last_order_at
    from ranked as r
)

select
    u.user_id,
    u.first_name || ' ' || u.last_name as name,
    u.email,
    t.order_count,
    t.lifetime_spend_cents,
    s.first_order_at,
    t.last_order_at
from customer_totals as t
inner join users as u on u.user_id = t.user_id
inner join customer_sales as s on s.user_id = t.user_id
order by
    t.lifetime_spend_cents desc,
    u.user_id

-- top_customers from the per-customer rollup, for any range. Nobody spends more in a
-- range than over all history (customer_sales, exact in every service transaction), so
-- once some customers' spend in the range is known, the limit-th best of them is a bar
-- that only customers whose all-history spend reaches it can pass: only their orders
-- in the range are read, not every order in it. The biggest spenders of all history
-- (the leaders bind: at least four times the limit) set the bar; fewer than limit of
-- them buying in the range sets none, and every customer is read.
with leaders as (
    select user_id
    from customer_sales
    order by
        spend_cents desc,
        user_id
    limit :leaders
),

-- cross joins: SQLite keeps the written order, the few customers first, each one's
-- orders read by the index on (user_id, created_at)
leader_spend as (
    select sum(o.total_cents) as spend_cents
    from leaders as l
    cross join orders as o
    where o.user_id = l.user_id
        and o.created_at >= :since
        and o.created_at < :until
        and {recognized(o.status)}
    group by l.user_id
    order by spend_cents desc
    limit :limit
),

bar as (
    select case when count(*) = :limit then min(spend_cents) else 0 end as spend_cents
    from leader_spend
),

-- a customer who bought in the range last bought on or after since
candidates as (
    select c.user_id
    from bar as b
    cross join customer_sales as c
    where c.spend_cents >= b.spend_cents
        and c.last_order_at >= :since
),

customer_totals as (
    select
        c.user_id,
        count(*) as order_count,
        sum(o.total_cents) as lifetime_spend_cents,
        max(o.created_at) as last_order_at
    from candidates as c
    cross join orders as o
    where o.user_id = c.user_id
        and o.created_at >= :since
        and o.created_at < :until
        and {recognized(o.status)}
    group by c.user_id
    order by
        lifetime_spend_cents desc,
        c.user_id
    limit :limit
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

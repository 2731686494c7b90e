-- Revenue per shipping country (orders.ship_country_code), highest first; orders
-- without a country form one row with an empty code, ordered after equal revenue.
with recognized_orders as (
    select
        o.ship_country_code as country_code,
        o.user_id,
        o.total_cents
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

by_country as (
    select
        country_code,
        count(*) as order_count,
        count(distinct user_id) as customer_count,
        sum(total_cents) as revenue_cents
    from recognized_orders
    group by country_code
),

total as (
    select coalesce(sum(revenue_cents), 0) as revenue_cents
    from by_country
)

select
    c.country_code,
    c.order_count,
    c.customer_count,
    c.revenue_cents,
    {ratio_bp(c.revenue_cents, t.revenue_cents)} as share_bp
from by_country as c
cross join total as t
order by
    c.revenue_cents desc,
    case when c.country_code is null then 1 else 0 end,
    c.country_code
limit :limit

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

shares as (
    select
        country_code,
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

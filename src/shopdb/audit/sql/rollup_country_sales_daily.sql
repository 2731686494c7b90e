-- country_sales_daily plus the unfolded order rows of rollup_deltas (by their order's
-- shipping country), against the recognized orders per day of placing and country:
-- the rollup's side counts up, the base tables' side down, and each must come to zero
with sides as (
    select
        day_index,
        country_code,
        order_count,
        revenue_cents
    from country_sales_daily
    union all
    select
        d.day_index,
        coalesce(o.ship_country_code, ''),
        d.order_count,
        d.revenue_cents
    from rollup_deltas as d
    inner join orders as o on o.order_id = d.order_id
    where d.order_id is not null
    union all
    select
        {day_index(o.created_at)},
        coalesce(o.ship_country_code, ''),
        -count(*),
        -sum(o.total_cents)
    from orders as o
    where {recognized(o.status)}
    group by
        {day_index(o.created_at)},
        coalesce(o.ship_country_code, '')
)

select
    day_index,
    country_code,
    sum(order_count) as order_count_off,
    sum(revenue_cents) as revenue_cents_off
from sides
group by
    day_index,
    country_code
having sum(order_count) <> 0
    or sum(revenue_cents) <> 0

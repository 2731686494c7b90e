-- Per UTC day of placing and shipping country ('' for none): recognized orders and
-- their revenue.
insert into country_sales_daily (
    day_index,
    country_code,
    order_count,
    revenue_cents
)
select
    {day_index(o.created_at)},
    coalesce(o.ship_country_code, ''),
    count(*),
    sum(o.total_cents)
from orders as o
where {recognized(o.status)}
group by
    {day_index(o.created_at)},
    coalesce(o.ship_country_code, '')

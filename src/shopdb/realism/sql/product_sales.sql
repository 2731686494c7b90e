-- Every product with the orders and units it sold (0 for none), its listing day and its
-- first and last year's units (the bound boundaries are the year windows).
with sales as (
    select
        oi.product_id,
        count(*) as order_count,
        sum(oi.quantity) as units,
        sum(case when o.created_at < :first_year_until then oi.quantity else 0 end)
            as first_year_units,
        sum(case when o.created_at >= :last_year_since then oi.quantity else 0 end)
            as last_year_units
    from order_items as oi
    inner join orders as o on o.order_id = oi.order_id
    group by oi.product_id
)

select
    p.product_id,
    case when p.created_at >= :period_start then 1 else 0 end as is_listed_in_period,
    coalesce(s.order_count, 0) as order_count,
    coalesce(s.units, 0) as units,
    coalesce(s.first_year_units, 0) as first_year_units,
    coalesce(s.last_year_units, 0) as last_year_units
from products as p
left join sales as s on s.product_id = p.product_id
order by p.product_id

-- sales_daily plus the deltas not yet folded into it, against the recognized orders per
-- UTC day of placing: the rollup's side counts up, the base tables' side counts down,
-- and every day must come to zero (a day missing on either side shows up too)
with first_orders as (
    select
        o.user_id,
        min(o.created_at) as first_order_at
    from orders as o
    where {recognized(o.status)}
    group by o.user_id
),

sides as (
    select
        day_index,
        month_index,
        order_count,
        revenue_cents,
        units,
        new_customer_count
    from sales_daily
    union all
    select
        day_index,
        month_index,
        case when product_id is null then order_count else 0 end,
        case when product_id is null then revenue_cents else 0 end,
        units,
        new_customer_count
    from rollup_deltas
    union all
    select
        {day_index(o.created_at)},
        {month_index(o.created_at)},
        -count(*),
        -sum(o.total_cents),
        0,
        0
    from orders as o
    where {recognized(o.status)}
    group by
        {day_index(o.created_at)},
        {month_index(o.created_at)}
    union all
    select
        {day_index(o.created_at)},
        {month_index(o.created_at)},
        0,
        0,
        -sum(oi.quantity),
        0
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where {recognized(o.status)}
    group by
        {day_index(o.created_at)},
        {month_index(o.created_at)}
    union all
    select
        {day_index(f.first_order_at)},
        {month_index(f.first_order_at)},
        0,
        0,
        0,
        -count(*)
    from first_orders as f
    group by
        {day_index(f.first_order_at)},
        {month_index(f.first_order_at)}
)

select
    day_index,
    sum(order_count) as order_count_off,
    sum(revenue_cents) as revenue_cents_off,
    sum(units) as units_off,
    sum(new_customer_count) as new_customer_count_off
from sides
group by day_index
having sum(order_count) <> 0
    or sum(revenue_cents) <> 0
    or sum(units) <> 0
    or sum(new_customer_count) <> 0
    or min(month_index) <> max(month_index)

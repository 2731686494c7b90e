-- sales_daily plus the deltas not yet folded into it, against the recognized orders per
-- UTC day of placing: the rollup's side counts up, the base tables' side counts down,
-- and every day must come to zero (a day missing on either side shows up too). A
-- customer's first order is their first recognized one in time order, ties by id.
with first_orders as (
    select
        n.created_at,
        n.total_cents
    from (
        select
            o.created_at,
            o.total_cents,
            row_number() over (
                partition by o.user_id
                order by o.created_at, o.order_id
            ) as order_number
        from orders as o
        where {recognized(o.status)}
    ) as n
    where n.order_number = 1
),

sides as (
    select
        day_index,
        month_index,
        order_count,
        revenue_cents,
        units,
        new_customer_count,
        new_revenue_cents
    from sales_daily
    union all
    select
        day_index,
        month_index,
        case when product_id is null then order_count else 0 end,
        case when product_id is null then revenue_cents else 0 end,
        units,
        new_customer_count,
        new_revenue_cents
    from rollup_deltas
    union all
    select
        {day_index(o.created_at)},
        {month_index(o.created_at)},
        -count(*),
        -sum(o.total_cents),
        0,
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
        0,
        0
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where {recognized(o.status)}
    group by
        {day_index(o.created_at)},
        {month_index(o.created_at)}
    union all
    select
        {day_index(f.created_at)},
        {month_index(f.created_at)},
        0,
        0,
        0,
        -count(*),
        -sum(f.total_cents)
    from first_orders as f
    group by
        {day_index(f.created_at)},
        {month_index(f.created_at)}
)

select
    day_index,
    sum(order_count) as order_count_off,
    sum(revenue_cents) as revenue_cents_off,
    sum(units) as units_off,
    sum(new_customer_count) as new_customer_count_off,
    sum(new_revenue_cents) as new_revenue_cents_off
from sides
group by day_index
having sum(order_count) <> 0
    or sum(revenue_cents) <> 0
    or sum(units) <> 0
    or sum(new_customer_count) <> 0
    or sum(new_revenue_cents) <> 0
    or min(month_index) <> max(month_index)

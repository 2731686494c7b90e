-- Item revenue (quantity x unit price over items of recognized orders) per top-level
-- category and UTC year of the range, against the same dates a year before.
with recursive category_roots (category_id, top_category_id) as (
    select
        c.category_id,
        c.category_id
    from categories as c
    where c.parent_id is null
    union all
    select
        child.category_id,
        r.top_category_id
    from categories as child
    inner join category_roots as r on child.parent_id = r.category_id
),

-- the items of recognized orders placed in the range or in the same dates a year before
-- (read even when they fall outside the range, so the range's first year has a year to
-- compare with), read once: current_cents is the line's revenue when its order is in
-- the range, previous_cents when it is in the year before (both when both)
sold_items as (
    select
        oi.product_id,
        {div({month_index(oi.order_created_at)}, 12)} as year,
        case
            when oi.order_created_at >= :since
                and oi.order_created_at < :until
                then oi.quantity * oi.unit_price_cents
        end as current_cents,
        case
            when oi.order_created_at >= :since_year_before
                and oi.order_created_at < :until_year_before
                then oi.quantity * oi.unit_price_cents
        end as previous_cents
    from {order_items_with_order(oi)}
    where {recognized(oi.order_status)}
        and (
            (oi.order_created_at >= :since and oi.order_created_at < :until)
            or (
                oi.order_created_at >= :since_year_before
                and oi.order_created_at < :until_year_before
            )
        )
),

-- summed per product before the category joins, so the join sees products, not items;
-- a sum is NULL when none of its items fell in its period
product_years as (
    select
        product_id,
        year,
        sum(current_cents) as revenue_cents,
        sum(previous_cents) as previous_cents
    from sold_items
    group by
        product_id,
        year
),

by_year as (
    select
        r.top_category_id,
        py.year,
        sum(py.revenue_cents) as revenue_cents,
        sum(py.previous_cents) as previous_cents
    from product_years as py
    inner join products as p on p.product_id = py.product_id
    inner join category_roots as r on r.category_id = p.category_id
    group by
        r.top_category_id,
        py.year
)

select
    cur.top_category_id,
    c.name as top_category_name,
    cur.year,
    cur.revenue_cents,
    prev.previous_cents as previous_year_revenue_cents,
    {ratio_bp(cur.revenue_cents - prev.previous_cents, prev.previous_cents)} as growth_bp
from by_year as cur
inner join categories as c on c.category_id = cur.top_category_id
left join by_year as prev
    on prev.top_category_id = cur.top_category_id
    and prev.year = cur.year - 1
where cur.revenue_cents is not null
order by
    cur.top_category_id,
    cur.year

-- Products by units sold in recognized orders, most first, ties by lower id; with a
-- category, only products in it or in its subcategories (0 means every category).
with recursive category_scope (category_id) as (
    select c.category_id
    from categories as c
    where (:category_id = 0 and c.parent_id is null)
        or c.category_id = :category_id
    union all
    select child.category_id
    from categories as child
    inner join category_scope as s on child.parent_id = s.category_id
),

-- summed per product straight from the items, before products and the category scope
-- are joined: those joins see products, not items
sold_products as (
    select
        oi.product_id,
        sum(oi.quantity) as units_sold,
        sum(oi.quantity * oi.unit_price_cents) as revenue_cents,
        count(*) as order_count
    from {order_items_with_order(oi)}
    where {recognized(oi.order_status)}
        and oi.order_created_at >= :since
        and oi.order_created_at < :until
    group by oi.product_id
),

-- the top products are chosen before their names are joined: the sort sees ids and
-- sums only
top_products as (
    select
        s.product_id,
        s.units_sold,
        s.revenue_cents,
        s.order_count
    from sold_products as s
    inner join products as p on p.product_id = s.product_id
    inner join category_scope as cs on cs.category_id = p.category_id
    order by
        s.units_sold desc,
        s.product_id
    limit :limit
)

select
    p.product_id,
    p.sku,
    p.name,
    p.category_id,
    t.units_sold,
    t.revenue_cents,
    t.order_count
from top_products as t
inner join products as p on p.product_id = t.product_id
order by
    t.units_sold desc,
    p.product_id

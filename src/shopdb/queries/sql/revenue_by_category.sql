-- Item revenue (quantity x unit price over items of recognized orders) for every
-- category that holds products, with its top-level ancestor and its share of the total.
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

stocked_categories as (
    select
        category_id,
        count(*) as product_count
    from products
    group by category_id
),

-- summed per product straight from the items, then per category: the products join
-- sees products, not items
product_revenue as (
    select
        oi.product_id,
        sum(oi.quantity * oi.unit_price_cents) as revenue_cents
    from {order_items_with_order(oi)}
    where {recognized(oi.order_status)}
        and oi.order_created_at >= :since
        and oi.order_created_at < :until
    group by oi.product_id
),

item_revenue as (
    select
        p.category_id,
        sum(pr.revenue_cents) as revenue_cents
    from product_revenue as pr
    inner join products as p on p.product_id = pr.product_id
    group by p.category_id
),

category_revenue as (
    select
        s.category_id,
        s.product_count,
        coalesce(ir.revenue_cents, 0) as revenue_cents,
        sum(coalesce(ir.revenue_cents, 0)) over () as total_cents
    from stocked_categories as s
    left join item_revenue as ir on ir.category_id = s.category_id
)

select
    c.category_id,
    c.name as category_name,
    r.top_category_id,
    top.name as top_category_name,
    cr.product_count,
    cr.revenue_cents,
    {ratio_bp(cr.revenue_cents, cr.total_cents)} as share_bp
from category_revenue as cr
inner join categories as c on c.category_id = cr.category_id
inner join category_roots as r on r.category_id = cr.category_id
inner join categories as top on top.category_id = r.top_category_id
order by
    cr.revenue_cents desc,
    c.category_id

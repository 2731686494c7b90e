-- Pairs of products in the same recognized order at least the bound number of times,
-- with each product's recognized orders, the total, and both leaf categories' names:
-- enough to compute support, lift and whether the catalogue calls them complements.
with recognized_items as (
    select
        oi.order_id,
        oi.product_id
    from order_items as oi
    inner join orders as o on o.order_id = oi.order_id
    where {recognized(o.status)}
),

order_total as (
    select count(distinct order_id) as order_count
    from recognized_items
),

product_orders as (
    select
        product_id,
        count(*) as order_count
    from recognized_items
    group by product_id
),

pairs as (
    select
        a.product_id as product_a_id,
        b.product_id as product_b_id,
        count(*) as pair_orders
    from recognized_items as a
    inner join recognized_items as b
        on b.order_id = a.order_id
        and b.product_id > a.product_id
    group by
        a.product_id,
        b.product_id
    having count(*) >= :min_orders
)

select
    p.product_a_id,
    p.product_b_id,
    p.pair_orders,
    oa.order_count as product_a_orders,
    ob.order_count as product_b_orders,
    t.order_count as order_count,
    ca.name as category_a,
    cb.name as category_b,
    pa.name as product_a_name,
    pb.name as product_b_name
from pairs as p
inner join product_orders as oa on oa.product_id = p.product_a_id
inner join product_orders as ob on ob.product_id = p.product_b_id
inner join products as pa on pa.product_id = p.product_a_id
inner join products as pb on pb.product_id = p.product_b_id
inner join categories as ca on ca.category_id = pa.category_id
inner join categories as cb on cb.category_id = pb.category_id
cross join order_total as t
order by
    p.pair_orders desc,
    p.product_a_id,
    p.product_b_id

-- Pairs of products in the same recognized order. Support is the share of orders with
-- items holding both; confidence A to B is the share of A's orders also holding B;
-- lift is support / (support of A x support of B), 10000 meaning no association.
with recognized_items as (
    select
        oi.order_id,
        oi.product_id
    from {order_items_with_order(oi)}
    where {recognized(oi.order_status)}
        and oi.order_created_at >= :since
        and oi.order_created_at < :until
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
),

top_pairs as (
    select
        product_a_id,
        product_b_id,
        pair_orders
    from pairs
    order by
        pair_orders desc,
        product_a_id,
        product_b_id
    limit :limit
)

select
    tp.product_a_id,
    pa.sku as product_a_sku,
    tp.product_b_id,
    pb.sku as product_b_sku,
    tp.pair_orders,
    {ratio_bp(tp.pair_orders, t.order_count)} as support_bp,
    {ratio_bp(tp.pair_orders, oa.order_count)} as confidence_a_to_b_bp,
    {ratio_bp(tp.pair_orders, ob.order_count)} as confidence_b_to_a_bp,
    {ratio_bp(tp.pair_orders * t.order_count, oa.order_count * ob.order_count)} as lift_bp
from top_pairs as tp
inner join products as pa on pa.product_id = tp.product_a_id
inner join products as pb on pb.product_id = tp.product_b_id
inner join product_orders as oa on oa.product_id = tp.product_a_id
inner join product_orders as ob on ob.product_id = tp.product_b_id
cross join order_total as t
order by
    tp.pair_orders desc,
    tp.product_a_id,
    tp.product_b_id

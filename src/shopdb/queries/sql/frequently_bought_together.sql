-- Pairs of products in the same recognized order. Support is the share of the range's
-- recognized orders holding both; confidence A to B is the share of A's orders also holding B;
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

-- the range's recognized orders, counted from orders (every order has items: the audit's
-- order_has_items), not as distinct orders among millions of items
order_total as (
    select count(*) as order_count
    from orders as o
    where {recognized(o.status)}
        and o.created_at >= :since
        and o.created_at < :until
),

product_orders as (
    select
        product_id,
        count(*) as order_count
    from recognized_items
    group by product_id
),

-- a pair is in at most as many orders as each of its products, so pairs of products in
-- fewer orders than the last of the top pairs cannot be among them. A lower bound of
-- that count: the limit-th largest exact count among the pairs of a few seed products
-- (a small self-join); if they make as many pairs as the limit asks for, that count is
-- the bound, and only products in at least that many orders are paired below. Every
-- pair in at least that many orders is still counted exactly, so the top pairs and
-- their ties are those of pairing every product (with fewer seed pairs the bound is
-- min_orders, and every product is paired). The seeds are a guess that decides how
-- much the bound prunes, never the answer: the 200 most frequent products, and the
-- products of the 100 most frequent pairs in a sample of the orders (one in 64): the
-- pairs bought together far more often than chance (at SF 10 the most frequent
-- products' pairs alone gave a bound too low to prune anything)
frequent_products as (
    select product_id
    from product_orders
    order by
        order_count desc,
        product_id
    limit 200
),

sample_items as (
    select
        order_id,
        product_id
    from recognized_items
    where order_id % 64 = 0
),

-- each self-join (of the sample, the seed products and the paired products) reads its
-- second side through same_order_items (fragments.py): the CTE itself, or on MariaDB,
-- which would compute the CTE and its chain of bounds again, the order's items in
-- order_items (the same pairs)
sample_pairs as (
    select
        a.product_id as product_a_id,
        b.product_id as product_b_id,
        count(*) as sample_orders
    from sample_items as a
    inner join {same_order_items(sample_items)} as b
        on b.order_id = a.order_id
        and b.product_id > a.product_id
    group by
        a.product_id,
        b.product_id
),

sample_top as (
    select
        product_a_id,
        product_b_id
    from sample_pairs
    order by
        sample_orders desc,
        product_a_id,
        product_b_id
    limit 100
),

seed_products as (
    select product_id
    from frequent_products
    union
    select product_a_id
    from sample_top
    union
    select product_b_id
    from sample_top
),

seed_items as (
    select
        ri.order_id,
        ri.product_id
    from recognized_items as ri
    inner join seed_products as sp on sp.product_id = ri.product_id
),

seed_pairs as (
    select count(*) as pair_orders
    from seed_items as a
    inner join {same_order_items(seed_items)} as b
        on b.order_id = a.order_id
        and b.product_id > a.product_id
    group by
        a.product_id,
        b.product_id
    having count(*) >= :min_orders
),

seed_top as (
    select pair_orders
    from seed_pairs
    order by pair_orders desc
    limit :limit
),

pair_bound as (
    select
        case
            when count(*) >= :limit then min(pair_orders)
            else :min_orders
        end as min_pair_orders
    from seed_top
),

paired_items as (
    select
        ri.order_id,
        ri.product_id
    from recognized_items as ri
    inner join product_orders as po on po.product_id = ri.product_id
    cross join pair_bound as pb
    where po.order_count >= pb.min_pair_orders
),

pairs as (
    select
        a.product_id as product_a_id,
        b.product_id as product_b_id,
        count(*) as pair_orders
    from paired_items as a
    inner join {same_order_items(paired_items)} as b
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

-- frequently_bought_together over all history from the pair rollup. Pairs of the orders
-- whose change is not yet folded (their rows in rollup_deltas, joined to their items on
-- the days of "all time") are counted again (folded plus pending); every other pair keeps its
-- folded count, read in pair_orders order through the rollup's index and stopped after
-- the limit. Orders holding a product come from the product rollups, and the orders
-- with items from the daily rollup (every order has an item: the order_has_items check).
with pending_pairs as (
    select
        a.product_id as product_a_id,
        b.product_id as product_b_id,
        sum(d.order_count) as pair_orders
    from rollup_deltas as d
    inner join order_items as a on a.order_id = d.order_id
    inner join order_items as b
        on b.order_id = d.order_id
        and b.product_id > a.product_id
    where d.order_id is not null
        and d.day_index >= 0
        and d.day_index < 2932896
    group by
        a.product_id,
        b.product_id
),

changed_pairs as (
    select
        pp.product_a_id,
        pp.product_b_id,
        coalesce(p.pair_orders, 0) + pp.pair_orders as pair_orders
    from pending_pairs as pp
    left join product_pairs as p
        on p.product_a_id = pp.product_a_id
        and p.product_b_id = pp.product_b_id
),

unchanged_top as (
    select
        p.product_a_id,
        p.product_b_id,
        p.pair_orders
    from product_pairs as p
    where p.pair_orders >= :min_orders
        and not exists (
            select 1
            from pending_pairs as pp
            where pp.product_a_id = p.product_a_id
                and pp.product_b_id = p.product_b_id
        )
    order by
        p.pair_orders desc,
        p.product_a_id,
        p.product_b_id
    limit :limit
),

pairs as (
    select
        product_a_id,
        product_b_id,
        pair_orders
    from unchanged_top
    union all
    select
        product_a_id,
        product_b_id,
        pair_orders
    from changed_pairs
    where pair_orders >= :min_orders
        and pair_orders > 0
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
),

top_products as (
    select product_a_id as product_id
    from top_pairs
    union
    select product_b_id
    from top_pairs
),

product_orders as (
    select
        s.product_id,
        sum(s.order_count) as order_count
    from (
        select
            t.product_id,
            t.order_count
        from product_sales_total as t
        inner join top_products as tp on tp.product_id = t.product_id
        union all
        select
            d.product_id,
            d.order_count
        from rollup_deltas as d
        inner join top_products as tp on tp.product_id = d.product_id
        where d.day_index >= :d_since
            and d.day_index < :d_until
    ) as s
    group by s.product_id
),

order_total as (
    select sum(order_count) as order_count
    from (
        select order_count
        from sales_daily
        where day_index >= :d_since
            and day_index < :d_until
        union all
        select order_count
        from rollup_deltas
        where product_id is null
            and day_index >= :d_since
            and day_index < :d_until
    ) as days
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

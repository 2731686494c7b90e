-- product_pairs plus the pairs of the orders whose rows in rollup_deltas are not yet
-- folded (times their order_count), against the pairs of products in
-- the same recognized order placed on the days of "all time" (day indexes 0 to 2932896,
-- as product_sales_total); rollup up, base down: zero, and no pair out of order
with sides as (
    select
        product_a_id,
        product_b_id,
        pair_orders
    from product_pairs
    union all
    select
        a.product_id,
        b.product_id,
        d.order_count
    from rollup_deltas as d
    inner join order_items as a on a.order_id = d.order_id
    inner join order_items as b
        on b.order_id = d.order_id
        and b.product_id > a.product_id
    where d.order_id is not null
        and d.day_index >= 0
        and d.day_index < 2932896
    union all
    select
        a.product_id,
        b.product_id,
        -count(*)
    from orders as o
    inner join order_items as a on a.order_id = o.order_id
    inner join order_items as b
        on b.order_id = a.order_id
        and b.product_id > a.product_id
    where {recognized(o.status)}
        and {day_index(o.created_at)} >= 0
        and {day_index(o.created_at)} < 2932896
    group by
        a.product_id,
        b.product_id
)

select
    product_a_id,
    product_b_id,
    sum(pair_orders) as pair_orders_off
from sides
group by
    product_a_id,
    product_b_id
having sum(pair_orders) <> 0
    or product_a_id >= product_b_id

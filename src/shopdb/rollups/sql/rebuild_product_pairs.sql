-- Per pair of products (lower id first): the recognized orders holding both, of the
-- orders placed on the days "all time" covers (day indexes 0 to 2932896, as
-- product_sales_total).
insert into product_pairs (
    product_a_id,
    product_b_id,
    pair_orders
)
select
    a.product_id,
    b.product_id,
    count(*)
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

-- items and sale movements side by side, per order and product: each item's quantity
-- must have been taken from stock exactly once
with sides as (
    select
        order_id,
        product_id,
        quantity as item_quantity,
        0 as sold_quantity
    from order_items
    union all
    select
        order_id,
        product_id,
        0,
        -quantity_delta
    from inventory_movements
    where reason = 'sale'
)

select
    order_id,
    product_id,
    sum(item_quantity) as item_quantity,
    sum(sold_quantity) as sold_quantity
from sides
group by order_id, product_id
having sum(item_quantity) <> sum(sold_quantity)

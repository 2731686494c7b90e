-- a cancelled order gave back exactly what it took; refunded orders may have been
-- restocked by hand (never beyond what was sold); no other order has returns
with moved as (
    select
        order_id,
        product_id,
        sum(case when reason = 'sale' then -quantity_delta else 0 end) as sold_quantity,
        sum(case when reason = 'return' then quantity_delta else 0 end) as returned_quantity
    from inventory_movements
    where order_id is not null
    group by order_id, product_id
)

select
    m.order_id,
    m.product_id,
    o.status,
    m.sold_quantity,
    m.returned_quantity
from moved as m
join orders as o on o.order_id = m.order_id
where (o.status = 'cancelled' and m.returned_quantity <> m.sold_quantity)
   or (o.status = 'refunded' and m.returned_quantity > m.sold_quantity)
   or (o.status not in ('cancelled', 'refunded') and m.returned_quantity <> 0)

-- The back office's work queue right now: orders waiting for payment, paid orders
-- waiting to ship, and products at or below their reorder level (or out of stock).
with order_queue as (
    select
        coalesce(sum(case when o.status = 'pending' then 1 else 0 end), 0) as orders_to_pay,
        coalesce(sum(case when o.status = 'paid' then 1 else 0 end), 0) as orders_to_ship
    from orders as o
    where o.status in ('pending', 'paid')
),

stock_queue as (
    select
        coalesce(sum(
            case when i.quantity_on_hand <= i.reorder_level then 1 else 0 end
        ), 0) as low_stock_count,
        coalesce(sum(case when i.quantity_on_hand = 0 then 1 else 0 end), 0) as out_of_stock_count
    from inventory as i
)

select
    q.orders_to_pay,
    q.orders_to_ship,
    s.low_stock_count,
    s.out_of_stock_count
from order_queue as q
cross join stock_queue as s

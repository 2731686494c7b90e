select
    o.order_id,
    o.status,
    o.total_cents
from orders as o
left join order_items as i on i.order_id = o.order_id
where i.order_id is null

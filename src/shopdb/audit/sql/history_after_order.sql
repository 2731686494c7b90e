select
    h.history_id,
    h.order_id,
    o.created_at as order_created_at,
    h.changed_at
from order_status_history as h
join orders as o on o.order_id = h.order_id
where h.changed_at < o.created_at

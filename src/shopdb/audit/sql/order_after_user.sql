select
    o.order_id,
    o.user_id,
    u.created_at as user_created_at,
    o.created_at as order_created_at
from orders as o
join users as u on u.user_id = o.user_id
where o.created_at < u.created_at

-- rows whose foreign key points at a row that does not exist
select 'orders' as table_name, o.order_id as row_id, 'user_id' as column_name, o.user_id as missing_id
from orders as o
left join users as u on u.user_id = o.user_id
where u.user_id is null
union all
select 'products', p.product_id, 'category_id', p.category_id
from products as p
left join categories as c on c.category_id = p.category_id
where c.category_id is null
union all
select 'categories', c.category_id, 'parent_id', c.parent_id
from categories as c
left join categories as parent on parent.category_id = c.parent_id
where c.parent_id is not null and parent.category_id is null
union all
select 'inventory', i.product_id, 'product_id', i.product_id
from inventory as i
left join products as p on p.product_id = i.product_id
where p.product_id is null
union all
select 'order_items', i.order_item_id, 'order_id', i.order_id
from order_items as i
left join orders as o on o.order_id = i.order_id
where o.order_id is null
union all
select 'order_items', i.order_item_id, 'product_id', i.product_id
from order_items as i
left join products as p on p.product_id = i.product_id
where p.product_id is null
union all
select 'payments', p.payment_id, 'order_id', p.order_id
from payments as p
left join orders as o on o.order_id = p.order_id
where o.order_id is null
union all
select 'order_status_history', h.history_id, 'order_id', h.order_id
from order_status_history as h
left join orders as o on o.order_id = h.order_id
where o.order_id is null
union all
select 'shipments', s.shipment_id, 'order_id', s.order_id
from shipments as s
left join orders as o on o.order_id = s.order_id
where o.order_id is null
union all
select 'inventory_movements', m.movement_id, 'product_id', m.product_id
from inventory_movements as m
left join products as p on p.product_id = m.product_id
where p.product_id is null
union all
select 'inventory_movements', m.movement_id, 'order_id', m.order_id
from inventory_movements as m
left join orders as o on o.order_id = m.order_id
where m.order_id is not null and o.order_id is null

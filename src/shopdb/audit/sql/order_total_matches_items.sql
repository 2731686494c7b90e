with item_totals as (
    select
        order_id,
        sum(quantity * unit_price_cents) as items_cents
    from order_items
    group by order_id
)

select
    o.order_id,
    o.total_cents,
    t.items_cents
from orders as o
join item_totals as t on t.order_id = o.order_id
where o.total_cents <> t.items_cents

with ledger as (
    select
        product_id,
        sum(quantity_delta) as ledger_quantity
    from inventory_movements
    group by product_id
)

select
    i.product_id,
    i.quantity_on_hand,
    coalesce(l.ledger_quantity, 0) as ledger_quantity
from inventory as i
left join ledger as l on l.product_id = i.product_id
where i.quantity_on_hand <> coalesce(l.ledger_quantity, 0)

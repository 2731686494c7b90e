select
    product_id,
    quantity_on_hand
from inventory
where quantity_on_hand < 0

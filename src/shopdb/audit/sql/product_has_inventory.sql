select
    p.product_id,
    p.sku
from products as p
left join inventory as i on i.product_id = p.product_id
where i.product_id is null

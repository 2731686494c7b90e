-- Every product's price with its top-level category's name.
select
    top.name as category,
    p.price_cents
from products as p
inner join categories as leaf on leaf.category_id = p.category_id
inner join categories as top on top.category_id = leaf.parent_id
order by
    top.name,
    p.price_cents

-- How many orders hold each number of distinct products.
with per_order as (
    select
        oi.order_id,
        count(*) as item_count
    from order_items as oi
    group by oi.order_id
)

select
    item_count,
    count(*) as order_count
from per_order
group by item_count
order by item_count

-- Stock at or below its reorder level, most urgent first. Sales are the units in
-- orders placed in the window before as_of that were not cancelled; days of cover is
-- stock / daily sales, rounded down, empty when nothing sold.
with recent_sales as (
    select
        oi.product_id,
        sum(oi.quantity) as units_sold
    from {order_items_placed(oi, :window_start, :as_of)}
    where oi.order_status <> 'cancelled'
        and oi.order_created_at >= :window_start
        and oi.order_created_at < :as_of
    group by oi.product_id
),

low_stock as (
    select
        p.product_id,
        p.sku,
        p.name,
        i.quantity_on_hand,
        i.reorder_level,
        coalesce(r.units_sold, 0) as recent_units_sold
    from inventory as i
    inner join products as p on p.product_id = i.product_id
    left join recent_sales as r on r.product_id = i.product_id
    where i.quantity_on_hand <= i.reorder_level
),

alerts as (
    select
        product_id,
        sku,
        name,
        quantity_on_hand,
        reorder_level,
        recent_units_sold,
        {round_div(1000 * recent_units_sold, :window_days)} as daily_sales_milli,
        case
            when recent_units_sold > 0
                then {div(quantity_on_hand * :window_days, recent_units_sold)}
        end as days_of_cover
    from low_stock
)

select
    product_id,
    sku,
    name,
    quantity_on_hand,
    reorder_level,
    recent_units_sold,
    daily_sales_milli,
    days_of_cover
from alerts
order by
    case when days_of_cover is null then 1 else 0 end,
    days_of_cover,
    product_id

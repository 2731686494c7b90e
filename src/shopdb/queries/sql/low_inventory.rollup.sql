-- low_inventory from the product rollups: for the products at or below their reorder
-- level, the window's units of recognized and refunded orders (refunded_units: they
-- were not cancelled) as signed spans of years, months and days (shopdb.rollups.spans)
-- plus the changes not yet folded in, and the units of the window's pending orders,
-- which count here but in no rollup, from their items. Exact when the window's bounds
-- are midnights.
with low_stock as (
    select
        i.product_id,
        i.quantity_on_hand,
        i.reorder_level
    from inventory as i
    where i.quantity_on_hand <= i.reorder_level
),

window_units as (
    select
        product_id,
        units + refunded_units as units
    from product_sales_total
    where :s_all = 1
    union all
    select
        product_id,
        units + refunded_units
    from product_sales_yearly
    where year_index >= :s_y_from
        and year_index < :s_y_to
    union all
    select
        product_id,
        :s_m1_sign * (units + refunded_units)
    from product_sales_monthly
    where month_index >= :s_m1_from
        and month_index < :s_m1_to
    union all
    select
        product_id,
        :s_m2_sign * (units + refunded_units)
    from product_sales_monthly
    where month_index >= :s_m2_from
        and month_index < :s_m2_to
    union all
    select
        product_id,
        :s_d1_sign * (units + refunded_units)
    from product_sales_daily
    where day_index >= :s_d1_from
        and day_index < :s_d1_to
    union all
    select
        product_id,
        :s_d2_sign * (units + refunded_units)
    from product_sales_daily
    where day_index >= :s_d2_from
        and day_index < :s_d2_to
    union all
    select
        product_id,
        units + refunded_units
    from rollup_deltas
    where product_id is not null
        and day_index >= :d_since
        and day_index < :d_until
    union all
    -- the one status neither recognized, refunded nor cancelled (shopdb.lifecycle)
    select
        oi.product_id,
        oi.quantity
    from orders as o
    inner join order_items as oi on oi.order_id = o.order_id
    where o.status = 'pending'
        and o.created_at >= :window_start
        and o.created_at < :as_of
),

recent_sales as (
    select
        w.product_id,
        sum(w.units) as units_sold
    from window_units as w
    inner join low_stock as l on l.product_id = w.product_id
    group by w.product_id
),

alerts as (
    select
        l.product_id,
        p.sku,
        p.name,
        l.quantity_on_hand,
        l.reorder_level,
        coalesce(r.units_sold, 0) as recent_units_sold
    from low_stock as l
    inner join products as p on p.product_id = l.product_id
    left join recent_sales as r on r.product_id = l.product_id
),

covered as (
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
    from alerts
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
from covered
order by
    case when days_of_cover is null then 1 else 0 end,
    days_of_cover,
    product_id

-- Per UTC day, previous day and shipping country ('' for none): the customers with a
-- recognized order shipped to the country that day whose previous day with one was
-- prev_day_index (-1: none before); and per customer and country a terminal row, day
-- 2932896 (NO_LATER_DAY), whose prev_day_index is the last such day. Days of "all
-- time" only (0 to 2932896, as product_sales_total).
insert into customer_country_days (
    day_index,
    prev_day_index,
    country_code,
    customer_count
)
select
    g.day_index,
    g.prev_day_index,
    g.country_code,
    count(*)
from (
    select
        cd.day_index,
        coalesce(
            lag(cd.day_index) over (
                partition by cd.user_id, cd.country_code
                order by cd.day_index
            ),
            -1
        ) as prev_day_index,
        cd.country_code
    from (
        select distinct
            o.user_id,
            coalesce(o.ship_country_code, '') as country_code,
            {day_index(o.created_at)} as day_index
        from orders as o
        where {recognized(o.status)}
            and {day_index(o.created_at)} >= 0
            and {day_index(o.created_at)} < 2932896
    ) as cd
    union all
    select
        2932896,
        max(last_days.day_index),
        last_days.country_code
    from (
        select
            o.user_id,
            coalesce(o.ship_country_code, '') as country_code,
            {day_index(o.created_at)} as day_index
        from orders as o
        where {recognized(o.status)}
            and {day_index(o.created_at)} >= 0
            and {day_index(o.created_at)} < 2932896
    ) as last_days
    group by
        last_days.user_id,
        last_days.country_code
) as g
group by
    g.day_index,
    g.prev_day_index,
    g.country_code

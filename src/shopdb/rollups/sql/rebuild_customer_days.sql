-- Per UTC day and previous day: the customers with a recognized order placed that day
-- whose previous day with one was prev_day_index (-1: none before).
insert into customer_days (
    day_index,
    prev_day_index,
    customer_count
)
select
    g.day_index,
    g.prev_day_index,
    count(*)
from (
    select
        cd.day_index,
        coalesce(
            lag(cd.day_index) over (partition by cd.user_id order by cd.day_index), -1
        ) as prev_day_index
    from (
        select distinct
            o.user_id,
            {day_index(o.created_at)} as day_index
        from orders as o
        where {recognized(o.status)}
    ) as cd
) as g
group by
    g.day_index,
    g.prev_day_index

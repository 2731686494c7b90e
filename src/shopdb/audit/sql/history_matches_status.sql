-- entries in time order per order (ties broken by id): the first must be the order's
-- creation, the last must name the status the order has now
with ranked as (
    select
        order_id,
        from_status,
        to_status,
        row_number() over (
            partition by order_id
            order by changed_at, history_id
        ) as entry_number,
        count(*) over (partition by order_id) as count_entries
    from order_status_history
),

ends as (
    select
        order_id,
        sum(
            case
                when entry_number = 1 and from_status is null and to_status = 'pending' then 1
                else 0
            end
        ) as count_valid_first,
        max(case when entry_number = count_entries then to_status end) as last_to_status
    from ranked
    where entry_number = 1 or entry_number = count_entries
    group by order_id
)

select
    o.order_id,
    o.status,
    e.count_valid_first,
    e.last_to_status
from orders as o
left join ends as e on e.order_id = o.order_id
where e.order_id is null
   or e.count_valid_first = 0
   or e.last_to_status <> o.status

-- each entry after an order's first continues from the status the previous entry set,
-- by a change the lifecycle allows (the fragment lists shopdb.lifecycle.TRANSITIONS)
with chained as (
    select
        history_id,
        order_id,
        from_status,
        to_status,
        lag(to_status) over (
            partition by order_id
            order by changed_at, history_id
        ) as previous_to_status,
        row_number() over (
            partition by order_id
            order by changed_at, history_id
        ) as entry_number
    from order_status_history
)

select
    history_id,
    order_id,
    previous_to_status,
    from_status,
    to_status
from chained
where entry_number > 1
  and (
      from_status is null
      or from_status <> previous_to_status
      or not {allowed_transition(from_status, to_status)}
  )

-- Customers whose first order came before the bound cutoff, by the days from their first
-- order to their second (null: no second order yet).
with firsts as (
    select
        o.user_id,
        min(o.created_at) as first_at
    from orders as o
    group by o.user_id
),

seconds as (
    select
        f.user_id,
        min({days_between(f.first_at, o.created_at)}) as days_to_second
    from firsts as f
    inner join orders as o
        on o.user_id = f.user_id
        and o.created_at > f.first_at
    group by f.user_id
)

select
    s.days_to_second,
    count(*) as customer_count
from firsts as f
left join seconds as s on s.user_id = f.user_id
where f.first_at < :cutoff
group by s.days_to_second
order by s.days_to_second

-- Payment attempts by status, and how many orders had at least one failed attempt.
select
    p.status,
    count(*) as payment_count,
    count(distinct p.order_id) as order_count
from payments as p
group by p.status
order by p.status

-- customer_sales against each customer's recognized orders: count, spend, first and
-- last; a row with no orders stands for a customer without any
with base as (
    select
        o.user_id,
        count(*) as order_count,
        sum(o.total_cents) as spend_cents,
        min(o.created_at) as first_order_at,
        max(o.created_at) as last_order_at
    from orders as o
    where {recognized(o.status)}
    group by o.user_id
)

select
    cs.user_id,
    cs.order_count,
    b.order_count as base_order_count,
    cs.spend_cents,
    b.spend_cents as base_spend_cents
from customer_sales as cs
left join base as b on b.user_id = cs.user_id
where cs.order_count <> coalesce(b.order_count, 0)
    or cs.spend_cents <> coalesce(b.spend_cents, 0)
    or case
        when b.user_id is null then cs.first_order_at is not null
        else cs.first_order_at is null
            or cs.first_order_at <> b.first_order_at
            or cs.last_order_at is null
            or cs.last_order_at <> b.last_order_at
    end
union all
select
    b.user_id,
    0,
    b.order_count,
    0,
    b.spend_cents
from base as b
where not exists (
    select 1
    from customer_sales as cs
    where cs.user_id = b.user_id
)

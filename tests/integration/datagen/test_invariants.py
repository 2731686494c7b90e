"""Generated data keeps every rule of the order lifecycle and the stock ledger."""

from __future__ import annotations

from conftest_datagen import runs
from sqlalchemy import text

from shopdb.audit import run_checks
from shopdb.lifecycle import TRANSITIONS

# each query returns the rows that break one rule: it must return none
VIOLATIONS = {
    "order total equals its items": """
        select o.order_id from orders o join order_items i on i.order_id = o.order_id
        group by o.order_id, o.total_cents
        having o.total_cents <> sum(i.quantity * i.unit_price_cents)""",
    "every order has an item": """
        select o.order_id from orders o
        where not exists (select 1 from order_items i where i.order_id = o.order_id)""",
    "pending orders have no completed payment": """
        select o.order_id from orders o join payments p on p.order_id = o.order_id
        where o.status = 'pending' and p.status = 'completed'""",
    "paid, shipped, delivered: completed payments equal the total": """
        select o.order_id from orders o
        left join payments p on p.order_id = o.order_id and p.status = 'completed'
        where o.status in ('paid', 'shipped', 'delivered')
        group by o.order_id, o.total_cents
        having coalesce(sum(p.amount_cents), 0) <> o.total_cents""",
    "cancelled and refunded orders keep no completed payment": """
        select o.order_id from orders o join payments p on p.order_id = o.order_id
        where o.status in ('cancelled', 'refunded') and p.status = 'completed'""",
    "refunded orders: refunded payments equal the total": """
        select o.order_id from orders o
        left join payments p on p.order_id = o.order_id and p.status = 'refunded'
        where o.status = 'refunded'
        group by o.order_id, o.total_cents
        having coalesce(sum(p.amount_cents), 0) <> o.total_cents""",
    "cancelled orders got their stock back": """
        select o.order_id from orders o join inventory_movements m on m.order_id = o.order_id
        where o.status = 'cancelled' group by o.order_id having sum(m.quantity_delta) <> 0""",
    "shipped and delivered orders have a shipment, others none": """
        select o.order_id from orders o left join shipments s on s.order_id = o.order_id
        where (o.status in ('shipped', 'delivered') and s.order_id is null)
           or (o.status in ('pending', 'paid', 'cancelled') and s.order_id is not null)
           or (o.status = 'delivered' and s.delivered_at is null)
           or (o.status = 'shipped' and s.delivered_at is not null)""",
    "user before order before payment before shipment": """
        select o.order_id from orders o
        join users u on u.user_id = o.user_id
        left join payments p on p.order_id = o.order_id
        left join shipments s on s.order_id = o.order_id
        where u.created_at > o.created_at or p.created_at < o.created_at
           or s.shipped_at < p.created_at or s.delivered_at < s.shipped_at
           or p.refunded_at < p.created_at""",
    "history starts with NULL -> pending at creation": """
        select o.order_id from orders o join order_status_history h on h.order_id = o.order_id
        where h.history_id = (select min(h2.history_id) from order_status_history h2
                              where h2.order_id = o.order_id)
          and (h.from_status is not null or h.to_status <> 'pending'
               or h.changed_at <> o.created_at)""",
    "history ends at the order's status": """
        select o.order_id from orders o join order_status_history h on h.order_id = o.order_id
        where h.history_id = (select max(h2.history_id) from order_status_history h2
                              where h2.order_id = o.order_id)
          and (h.to_status <> o.status or h.changed_at <> o.updated_at)""",
    "history is a chain in time": """
        select a.order_id from order_status_history a join order_status_history b
          on b.order_id = a.order_id and b.history_id = (
             select min(c.history_id) from order_status_history c
             where c.order_id = a.order_id and c.history_id > a.history_id)
        where b.from_status <> a.to_status or b.changed_at < a.changed_at""",
    "stock on hand equals the ledger and is not negative": """
        select i.product_id from inventory i
        left join inventory_movements m on m.product_id = i.product_id
        group by i.product_id, i.quantity_on_hand
        having i.quantity_on_hand <> coalesce(sum(m.quantity_delta), 0)
            or i.quantity_on_hand < 0""",
    "stock never goes below zero at any moment": """
        select product_id from (
          select product_id, sum(quantity_delta) over (
            partition by product_id order by created_at, movement_id) as balance
          from inventory_movements) ledger
        where balance < 0""",
    "every product has stock and an opening receipt": """
        select p.product_id from products p
        left join inventory i on i.product_id = p.product_id
        where i.product_id is null or not exists (
          select 1 from inventory_movements m
          where m.product_id = p.product_id and m.reason = 'receipt'
            and m.created_at = p.created_at)""",
    "sales match items": """
        select i.order_item_id from order_items i
        where not exists (select 1 from inventory_movements m
          where m.order_id = i.order_id and m.product_id = i.product_id
            and m.reason = 'sale' and m.quantity_delta = -i.quantity)""",
}


def test_a_generated_shop_keeps_every_rule_and_has_every_kind_of_row(shop):
    broken = {}
    with shop.connect() as conn:
        for rule, query in VIOLATIONS.items():
            rows = conn.execute(text(query)).fetchmany(5)
            if rows:
                broken[rule] = rows
        pairs = conn.execute(
            text("select distinct from_status, to_status from order_status_history")
        ).all()
    assert broken == {}
    for before, after in pairs:
        assert (before is None and after == "pending") or after in TRANSITIONS[before]
    assert len(pairs) >= 6
    assert runs(shop) == [("complete", "0.001", "2025-11-26")]
    # and shopdb check (the audit) agrees
    failed = {r.name: r.sample for r in run_checks(shop) if r.violation_count}
    assert failed == {}

    with shop.connect() as conn:
        statuses = {r[0] for r in conn.execute(text("select distinct status from orders"))}
        payments = {
            tuple(r) for r in conn.execute(text("select distinct method, status from payments"))
        }
    assert statuses >= {"delivered", "cancelled", "refunded", "shipped"}
    assert {s for _, s in payments} == {"completed", "failed", "refunded"}
    assert {m for m, _ in payments} >= {"card", "paypal", "bank_transfer", "gift_card"}
    with shop.connect() as conn:
        low = conn.execute(
            text("select count(*) from inventory where quantity_on_hand <= reorder_level")
        ).scalar_one()
        total = conn.execute(text("select count(*) from inventory")).scalar_one()
    assert 0 < low < total / 2

"""The status vocabularies and their transitions live in ``lifecycle`` and reach the SQL."""

from shopdb.audit import check_sql
from shopdb.db.schema import orders, payments
from shopdb.lifecycle import (
    ORDER_STATUSES,
    PAYMENT_METHODS,
    PAYMENT_STATUSES,
    PAYMENT_TRANSITIONS,
    TRANSITIONS,
    payment_status,
)


def _check_text(table, name):
    return next(str(c.sqltext) for c in table.constraints if c.name == name)


def test_the_schema_checks_list_the_lifecycle_vocabularies():
    assert _check_text(orders, "ck_orders_status") == (
        "status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')"
    )
    assert _check_text(payments, "ck_payments_method") == (
        "method in ('card', 'paypal', 'bank_transfer', 'gift_card')"
    )
    assert _check_text(payments, "ck_payments_status") == (
        "status in ('completed', 'failed', 'refunded')"
    )


def test_every_order_status_has_its_transitions():
    assert set(ORDER_STATUSES) == set(TRANSITIONS)
    assert PAYMENT_METHODS == ("card", "paypal", "bank_transfer", "gift_card")


def test_only_a_completed_payment_changes_and_only_to_refunded():
    assert dict(PAYMENT_TRANSITIONS) == {
        "completed": frozenset({"refunded"}),
        "failed": frozenset(),
        "refunded": frozenset(),
    }
    assert set(PAYMENT_TRANSITIONS) == set(PAYMENT_STATUSES)
    assert (payment_status(True), payment_status(False)) == ("completed", "failed")


def test_the_audit_uses_the_queries_recognized_fragment():
    sql = check_sql("paid_order_reconciles", "postgresql")

    assert "where o.status in ('paid', 'shipped', 'delivered')" in sql
    assert "{" not in sql

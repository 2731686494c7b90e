"""The ``order_funnel_daily`` and ``payment_method_daily`` rollups' rows from the
generator's frames, in NumPy (``rollups.order_events``).

Each chunk's orders come with their status history, shipments and payments, so every
order's stages are known as it passes (``funnel_parts``): paid when its status is paid
or beyond, or it is cancelled and its history shows it paid; shipped when its status is
shipped or delivered, or it is refunded with a shipment; delivered when its status is
delivered, or it is refunded or shipped with a delivery time. Each payment is one
attempt of its method and status (``payment_parts``).
"""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import NULL, Array, Frame, Labels
from shopdb.lifecycle import PAYMENT_METHODS

DAY_S = 86_400

FunnelPart = tuple[Array, list[Array]]
"""Per order: its day of placing, and one array per ``order_events.FUNNEL_MEASURES``."""
PaymentPart = tuple[Array, list[Array]]
"""Per payment: its day and method as one key (``day * METHODS + method``), and one
array per ``order_events.PAYMENT_MEASURES``."""
METHODS = len(PAYMENT_METHODS)


def funnel_parts(orders: Frame, history: Frame | None, shipments: Frame | None) -> FunnelPart:
    """Each order of ``orders``' day and the stages it reached (``FUNNEL_MEASURES``)."""
    status = _strings(orders.columns["status"])
    order_id = np.asarray(orders.columns["order_id"], dtype=np.int64)
    paid_before = np.isin(order_id, _ids_where(history, "to_status", "paid"))
    shipped_ids = np.zeros(0, np.int64)
    delivered_ids = np.zeros(0, np.int64)
    if shipments is not None:
        shipped_ids = np.asarray(shipments.columns["order_id"], dtype=np.int64)
        delivered_at = np.asarray(shipments.columns["delivered_at"], dtype=np.int64)
        delivered_ids = shipped_ids[delivered_at != NULL]
    has_shipment = np.isin(order_id, shipped_ids)
    has_delivery = np.isin(order_id, delivered_ids)
    cancelled, refunded = status == "cancelled", status == "refunded"
    paid = np.isin(status, ("paid", "shipped", "delivered", "refunded")) | (cancelled & paid_before)
    shipped = np.isin(status, ("shipped", "delivered")) | (refunded & has_shipment)
    delivered = (status == "delivered") | (np.isin(status, ("refunded", "shipped")) & has_delivery)
    total = np.asarray(orders.columns["total_cents"], dtype=np.int64)
    day = np.asarray(orders.columns["created_at"], dtype=np.int64) // DAY_S
    flags = [np.ones(len(day), np.int64), paid, shipped, delivered, cancelled, refunded]
    columns = [np.asarray(f, dtype=np.int64) for f in flags] + [np.where(refunded, total, 0)]
    return day, columns


def _strings(column: object) -> Array:
    assert isinstance(column, Labels)
    return np.asarray(column.strings())


def _ids_where(frame: Frame | None, column: str, value: str) -> Array:
    if frame is None:
        return np.zeros(0, np.int64)
    ids = np.asarray(frame.columns["order_id"], dtype=np.int64)
    chosen: Array = ids[_strings(frame.columns[column]) == value]
    return chosen


def payment_parts(payments: Frame) -> PaymentPart:
    """Each payment's day-and-method key and what it adds (``order_events.PAYMENT_MEASURES``)."""
    method = payments.columns["method"]
    assert isinstance(method, Labels)
    code = np.asarray([PAYMENT_METHODS.index(str(v)) for v in method.values])[method.codes]
    status = _strings(payments.columns["status"])
    amount = np.asarray(payments.columns["amount_cents"], dtype=np.int64)
    day = np.asarray(payments.columns["created_at"], dtype=np.int64) // DAY_S
    failed = status == "failed"
    flags = [np.ones(len(day), bool), status == "completed", failed, status == "refunded"]
    columns = [np.asarray(f, dtype=np.int64) for f in flags] + [np.where(failed, 0, amount)]
    return day * METHODS + code, columns

"""The ``order_funnel_daily`` rollup's rows from the generator's frames, in NumPy.

Each chunk's orders come with their status history and shipments, so every order's
stages are known as it passes (``funnel_parts``): paid when its status is paid or
beyond, or it is cancelled and its history shows it paid; shipped when its status is
shipped or delivered, or it is refunded with a shipment; delivered when its status is
delivered, or it is refunded or shipped with a delivery time (``rollups.funnel``).
"""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import NULL, Array, Frame, Labels
from shopdb.rollups.funnel import MEASURES

DAY_S = 86_400

FunnelPart = tuple[Array, list[Array]]
"""Per order: its day of placing, and one array per ``funnel.MEASURES``."""


def funnel_parts(orders: Frame, history: Frame | None, shipments: Frame | None) -> FunnelPart:
    """Each order of ``orders``' day and the stages it reached (``MEASURES``' order)."""
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
    paid = np.isin(status, ("paid", "shipped", "delivered", "refunded")) | (
        cancelled & paid_before
    )
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
    return np.asarray(frame.columns["order_id"], dtype=np.int64)[
        _strings(frame.columns[column]) == value
    ]

"""Explicit ids for child rows, assigned in chunk order so any ``--jobs`` gives the same."""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import Frame

ID_COLUMNS = {
    "order_items": "order_item_id",
    "payments": "payment_id",
    "order_status_history": "history_id",
    "shipments": "shipment_id",
    "inventory_movements": "movement_id",
}
"""Tables whose ids are numbered in load order rather than drawn with the rows."""


class IdCounter:
    """The last id given out per table."""

    def __init__(self) -> None:
        self.last: dict[str, int] = dict.fromkeys(ID_COLUMNS, 0)

    def number(self, frame: Frame) -> Frame:
        """``frame`` with its id column (first) numbered after the last one given out."""
        name = ID_COLUMNS[frame.table]
        start = self.last[frame.table]
        self.last[frame.table] = start + len(frame)
        ids = np.arange(start + 1, start + len(frame) + 1, dtype=np.int64)
        return Frame(frame.table, {name: ids, **frame.columns})

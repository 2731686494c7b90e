"""Which columns a lake file dictionary-encodes, judged on its first rows."""

from __future__ import annotations

import pyarrow as pa

from shopdb.lake.arrowdata import DICTIONARY_SAMPLE, column_encodings, dictionary_columns

ROWS = 40_000


def test_strings_repeating_and_mostly_empty_columns_are_dictionaries() -> None:
    rows = pa.table(
        {
            "order_item_id": pa.array(range(1, ROWS + 1), pa.int64()),
            "order_id": pa.array([i // 2 for i in range(ROWS)], pa.int64()),
            "product_id": pa.array([i % 500 for i in range(ROWS)], pa.int64()),
            # a wide range but few values: only the sample shows they repeat
            "unit_price_cents": pa.array([(i % 97) * 100_003 for i in range(ROWS)], pa.int64()),
            "refunded_at": pa.array(
                [i if i % 10 == 0 else None for i in range(ROWS)], pa.timestamp("us", "UTC")
            ),
            "created_at": pa.array([i // 8 for i in range(ROWS)], pa.timestamp("us", "UTC")),
            "status": pa.array(["paid"] * ROWS, pa.string()),
            "tracking_number": pa.array([f"TN{i:09d}" for i in range(ROWS)], pa.string()),
        }
    )
    chosen = dictionary_columns(rows, "order_item_id")
    assert chosen == ["product_id", "unit_price_cents", "refunded_at", "status"]
    # the rest but strings are delta-encoded
    assert column_encodings(rows.schema, chosen) == {
        "order_item_id": "DELTA_BINARY_PACKED",
        "order_id": "DELTA_BINARY_PACKED",
        "created_at": "DELTA_BINARY_PACKED",
    }


def test_the_sample_decides_only_on_its_rows() -> None:
    # distinct in the sample, repeating after it: judged on the first rows, as documented
    values = list(range(DICTIONARY_SAMPLE)) + [0] * (4 * DICTIONARY_SAMPLE)
    rows = pa.table({"amount_cents": pa.array([v * 1_000 for v in values], pa.int64())})
    assert dictionary_columns(rows) == []

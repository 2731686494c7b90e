"""Money as text: integer cents rendered exactly, never through a float."""

from __future__ import annotations


def money(cents: int | None, *, grouped: bool = True) -> str:
    """Cents as a decimal amount: ``123456`` is ``1,234.56`` (``1234.56`` ungrouped).

    None, a value not known, is a dash.
    """
    if cents is None:
        return "-"
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{rest:02d}" if grouped else f"{sign}{whole}.{rest:02d}"

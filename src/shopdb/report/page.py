"""The report's HTML: headline cards, embedded charts and tables; no external files."""

from __future__ import annotations

import base64
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from shopdb.money import money
from shopdb.queries import QueryResult

if TYPE_CHECKING:
    from shopdb.report import Headline

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1f2933;padding:0 1rem}
h1{margin-bottom:.2rem}.sub{color:#616e7c;margin-top:0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.8rem}
.card{border:1px solid #d9e2ec;border-radius:8px;padding:.8rem 1rem}
.card b{display:block;font-size:1.5rem}.card span{color:#616e7c;font-size:.9rem}
img{max-width:100%;border:1px solid #eef2f6;margin:.5rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border-bottom:1px solid #e4e7eb;padding:.3rem .5rem;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
"""


def percent(bp: int | None) -> str:
    """Basis points as ``12.34%``; a dash for no value."""
    return "-" if bp is None else f"{bp / 100:.2f}%"


def _cell(name: str, value: Any) -> str:
    if value is None:
        text, numeric = ("unknown" if name == "country_code" else ""), False
    elif name.endswith("_cents"):
        text, numeric = money(value), True
    elif name.endswith("_bp"):
        text, numeric = percent(value), True
    elif isinstance(value, datetime):
        text, numeric = value.strftime("%Y-%m-%d %H:%M"), False
    else:
        text, numeric = str(value), isinstance(value, int)
    return f'<td class="n">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def _header(name: str, rows: list[dict[str, Any]]) -> str:
    label = name.removesuffix("_cents").removesuffix("_bp").replace("_", " ")
    if name.endswith("_bp"):
        label += " %"
    numeric = any(isinstance(r[name], int) for r in rows)
    return f'<th class="n">{escape(label)}</th>' if numeric else f"<th>{escape(label)}</th>"


def table(result: QueryResult, columns: list[str], max_rows: int = 20) -> str:
    """Some of a result's columns as an HTML table of at most ``max_rows`` rows."""
    rows = result.as_dicts()
    head = "".join(_header(c, rows) for c in columns)
    body = "".join(
        "<tr>" + "".join(_cell(c, r[c]) for c in columns) + "</tr>" for r in rows[:max_rows]
    )
    more = (
        f'<p class="sub">{len(rows) - max_rows:,} more rows not shown.</p>'
        if len(rows) > max_rows
        else ""
    )
    if not rows:
        return '<p class="sub">None.</p>'
    return f"<table><tr>{head}</tr>{body}</table>{more}"


def _image(name: str, data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{escape(name)}" src="data:image/png;base64,{encoded}">'


def _cards(head: Headline) -> str:
    return "".join(
        f'<div class="card"><span>{escape(label)}</span><b>{escape(value)}</b></div>'
        for label, value in (
            ("Revenue", money(head.revenue_cents)),
            ("Recognized orders", f"{head.order_count:,}"),
            ("Average order value", money(head.aov_cents)),
            ("Customers", f"{head.customer_count:,}"),
            ("Repeat customers", percent(head.repeat_rate_bp)),
            ("Unpaid orders", f"{head.unpaid_order_count:,} ({money(head.unpaid_cents)})"),
            ("Low-stock products", f"{head.low_stock_count:,}"),
        )
    )


def _sections(results: dict[str, QueryResult], pngs: dict[str, bytes]) -> list[tuple[str, str]]:
    payments, countries = results["payments"], results["countries"]
    return [
        ("Monthly revenue and order value", _image("monthly revenue", pngs["monthly_revenue"])),
        ("Revenue by category", _image("revenue by category", pngs["revenue_by_category"])),
        ("Cohort retention", _image("cohort retention", pngs["cohort_retention"])),
        (
            "Payment methods",
            _image("payment mix", pngs["payment_mix"]) + table(payments, list(payments.columns)),
        ),
        ("Order status funnel", _image("status funnel", pngs["status_funnel"])),
        (
            "Top customers",
            table(
                results["customers"],
                ["user_id", "name", "email", "order_count", "lifetime_spend_cents"],
            ),
        ),
        (
            "Best-selling products",
            table(
                results["products"], ["product_id", "sku", "name", "units_sold", "revenue_cents"]
            ),
        ),
        ("Revenue by country", table(countries, list(countries.columns))),
        (
            "Inventory alerts",
            table(
                results["low_stock"],
                [
                    *("product_id", "sku", "name", "quantity_on_hand", "reorder_level"),
                    *("recent_units_sold", "days_of_cover"),
                ],
            ),
        ),
        (
            "Unpaid orders (oldest first)",
            table(
                results["unpaid"],
                [
                    *("order_id", "user_id", "email", "created_at", "total_cents"),
                    *("age_days", "failed_payment_count"),
                ],
            ),
        ),
    ]


def render(head: Headline, results: dict[str, QueryResult], pngs: dict[str, bytes]) -> str:
    """The whole report as one HTML document."""
    body = "".join(
        f"<h2>{escape(title)}</h2>{content}" for title, content in _sections(results, pngs)
    )
    stamp = head.as_of.strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>shopdb report</title><style>{_STYLE}</style></head><body>"
        f'<h1>shopdb report</h1><p class="sub">Ages and recent sales as of {stamp}. '
        "Revenue counts paid, shipped and delivered orders.</p>"
        f'<div class="cards">{_cards(head)}</div>{body}</body></html>\n'
    )

"""``shopdb query`` and ``shopdb report`` through the real CLI, on every backend."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from shopdb.cli import cli
from shopdb.db.schema import orders
from shopdb.queries import QUERIES


def shopdb(db_url_text: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db_url_text, *args])


def test_list_names_every_query_with_its_description(tmp_path):
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "query", "--list"])
    assert result.exit_code == 0
    for spec in QUERIES.values():
        assert re.search(rf"^{spec.name}\s+{re.escape(spec.description)}$", result.output, re.M)


def test_json_is_an_array_of_objects_keyed_by_column(shop):
    result = shopdb(shop.url, "query", "top_customers", "--limit", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [list(r) for r in rows] == [list(QUERIES["top_customers"].column_names)] * 2
    assert rows[0]["user_id"] == 2
    assert rows[0]["lifetime_spend_cents"] == 120000
    assert rows[0]["first_order_at"] == "2024-01-20T12:00:00+00:00"


def test_csv_and_table_formats(shop):
    result = shopdb(shop.url, "query", "monthly_revenue", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == list(QUERIES["monthly_revenue"].column_names)
    assert rows[1] == ["2024-01", "171500", "2", "85750", "", ""]
    assert rows[3] == ["2024-03", "0", "0", "", "3500", "-10000"]
    table = shopdb(shop.url, "query", "total_revenue", "-p", "until=2024-01-31")
    assert table.exit_code == 0, table.output
    assert table.output.splitlines() == [
        "revenue_cents  order_count",
        "-------------  -----------",
        "       171500            2",
        "(1 row)",
    ]


@pytest.mark.parametrize(
    ("url", "month"),
    [
        ("sqlite:////nonexistent/dir/shop.db", "cast(substr(o.created_at, 1, 4) as integer)"),
        ("mysql://nobody@127.0.0.1:1/none", "year("),
        ("postgresql://nobody@127.0.0.1:1/none", "extract(year"),
    ],
)
def test_sql_prints_this_backends_sql_without_connecting(url, month):
    # nothing listens at these URLs: --sql must not connect
    base = shopdb(
        url, "query", "monthly_revenue", "--sql", "--since", "2024-01-01", "--source", "base"
    )
    assert base.exit_code == 0, base.output
    sql, _, bound = base.output.partition("-- bound values ")
    assert month in sql
    assert "{" not in sql and ":since" in sql
    assert "since = datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)" in bound
    # by default the query reads the daily rollup, over whole days
    rollup = shopdb(url, "query", "monthly_revenue", "--sql", "--since", "2024-01-01")
    sql, _, bound = rollup.output.partition("-- bound values ")
    assert "from sales_daily" in sql and ":d_since" in sql and "from orders" not in sql
    assert "d_since = 19723" in bound  # 2024-01-01, in days since 1970-01-01


def test_explain_prints_the_backends_plan(shop):
    result = shopdb(shop.url, "query", "unpaid_orders", "--explain", "--as-of", "2024-05-01")
    assert result.exit_code == 0, result.output
    assert re.search(r"orders|SCAN|SEARCH|Scan", result.output)


def test_bad_parameters_get_one_line_errors(shop):
    cases = {
        ("query", "no_such_query"): "unknown query 'no_such_query': 'shopdb query --list'",
        ("query", "top_customers", "--limit", "-1"): "limit must be between 1 and",
        ("query", "top_customers", "--limit", "ten"): "bad value for limit",
        ("query", "total_revenue", "--since", "2024-02-30"): "bad date for since",
        ("query", "total_revenue", "-p", "limit=3"): "has no parameter 'limit'",
        ("query", "total_revenue", "-p", "since"): "use KEY=VALUE",
        ("query", "unpaid_orders", "--as-of", "yesterday"): "bad timestamp for as_of",
        ("query", "best_selling_products", "--category", "99"): "no category with id 99",
        ("query", "total_revenue", "--since", "2024-03-01", "--until", "2024-02-01"): (
            "since must be on or before until"
        ),
    }
    for args, message in cases.items():
        result = shopdb(shop.url, *args)
        assert result.exit_code == 1, args
        assert result.output.count("\n") == 1, result.output
        assert result.output.startswith("Error: ") and message in result.output, result.output
    with shop.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(orders)).scalar() == 8


def test_report_writes_self_contained_html_and_pngs(shop, tmp_path):
    out, pngs = tmp_path / "report.html", tmp_path / "charts"
    result = shopdb(shop.url, "report", "--out", str(out), "--png", str(pngs))
    assert result.exit_code == 0, result.output
    assert "revenue            2,375.00" in result.output
    assert "unpaid orders      2 (315.00)" in result.output
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 5
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert sorted(p.name for p in pngs.iterdir()) == [
        "cohort_retention.png",
        "monthly_revenue.png",
        "payment_mix.png",
        "revenue_by_category.png",
        "status_funnel.png",
    ]
    assert "bob@example.com" in html and "BK-N" in html

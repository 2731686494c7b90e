"""The query files and the registry agree, and the SQL is safe to hand to ``text()``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from shopdb.errors import InvalidInput
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.queries import QUERIES, sql_text
from shopdb.queries.fragments import expand
from shopdb.queries.runner import bind_values
from shopdb.queries.segments import SEGMENTS_SQL
from shopdb.queries.sources import ROLLUP_ANSWERS, rollup_values

DIALECTS = ("sqlite", "mysql", "postgresql")
SQL_DIR = resources.files("shopdb.queries").joinpath("sql")
BIND = re.compile(r"(?<![:\w]):(\w+)")


def sql_files() -> list[str]:
    return sorted(p.name for p in SQL_DIR.iterdir() if p.name.endswith(".sql"))


def test_every_query_has_a_file_and_every_file_a_query():
    expected = [f"{name}.sql" for name in QUERIES]
    expected += [f"{name}.rollup.sql" for name in ROLLUP_ANSWERS]
    expected += [f"{SEGMENTS_SQL}.sql"]  # per customer, not a catalogue query (a list of ids)
    assert sorted(expected) == sql_files()
    assert set(ROLLUP_ANSWERS) <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(ROLLUP_ANSWERS))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_rollup_forms_bind_only_checked_and_derived_values(name, dialect):
    sql = sql_text(name, dialect, rollup=True)
    assert "{" not in sql and "}" not in sql
    code = "\n".join(line.partition("--")[0] for line in sql.splitlines())
    values = bind_values(QUERIES[name], {})
    allowed = set(values) | set(rollup_values(values))
    assert set(BIND.findall(code)) <= allowed
    # the rollup form never reads the tables it summarizes, except RFM's for the customers
    # with orders after as_of alone (none when as_of is now), found by the status index
    # and summed by the per-customer index,
    # low inventory's for the window's pending and refunded orders, which no rollup
    # counts, by the status index; the pairs' for the items of the orders whose change is
    # not yet folded (their rows in rollup_deltas), by the order's key; cohort retention's
    # for whether any order follows until (twice each way), until's month in part only
    # when one does, and the first and last order's times (one index end each); revenue
    # by country's for the countries of the orders whose change is not yet folded, and
    # the orders in the range of the customer-countries they name (by their key and the
    # per-customer index); the repeat rate's the same way for the customers; lifetime
    # value's for the customers those unfolded orders name and the cohort's customers
    # with orders in its cut first day or from until's day on (none for whole days
    # ending now), then their orders; top customers' for the range's orders of the
    # customers whose all-history spend can rank (the biggest spenders', then the bar's,
    # then the winners' count and last order), by the per-customer index; new against
    # returning revenue's for the customers those unfolded orders name, as the repeat
    # rate's
    reads_base = re.findall(r"\b(?:from|join|straight_join)\s+(orders|order_items)\b", code)
    expected = {
        "rfm_segments": ["orders", "orders"],
        "low_inventory": ["orders", "order_items"],
        "frequently_bought_together": ["order_items", "order_items"],
        "cohort_retention": ["orders"] * 6,
        "revenue_by_country": ["orders"] * 3,
        "repeat_purchase_rate": ["orders"] * 2,
        "customer_lifetime_value": ["orders"] * 4,
        "top_customers": ["orders"] * 4,
        "new_vs_returning_revenue": ["orders"] * 2,
    }
    assert reads_base == expected.get(name, [])


def test_day_index_fragment_differs_per_dialect():
    assert expand("{day_index(x)}", "mysql") == "(to_days(x) - 719528)"
    assert expand("{day_index(x)}", "postgresql") == "(cast(x as date) - date '1970-01-01')"


@pytest.mark.parametrize("file_name", sql_files())
def test_no_comment_holds_a_colon_name(file_name):
    # text() would read it as a bound parameter
    for line in SQL_DIR.joinpath(file_name).read_text().splitlines():
        _, _, comment = line.partition("--")
        assert not BIND.search(comment), line


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_binds_are_exactly_the_checked_parameters(name, dialect):
    sql = sql_text(name, dialect)
    assert "{" not in sql and "}" not in sql
    code = "\n".join(line.partition("--")[0] for line in sql.splitlines())
    binds = set(BIND.findall(code))
    values = bind_values(
        QUERIES[name],
        {"as_of": datetime(2024, 1, 1, tzinfo=UTC)} if QUERIES[name].param("as_of") else {},
    )
    assert binds == set(values)


def test_recognized_statuses_come_from_the_lifecycle():
    quoted = ", ".join(f"'{s}'" for s in RECOGNIZED_STATUSES)
    assert expand("{recognized(o.status)}", "mysql") == f"o.status in ({quoted})"


def test_month_fragments_differ_per_dialect():
    assert expand("{month_index(x)}", "sqlite").startswith("(cast(substr(x, 1, 4) as integer)")
    assert expand("{month_index(x)}", "mysql") == "(year(x) * 12 + month(x) - 1)"
    assert expand("{div(a, b)}", "mysql") == "((a) div (b))"
    assert (
        expand("{div({month_index(x)}, 12)}", "mysql")
        == "(((year(x) * 12 + month(x) - 1)) div (12))"
    )


def test_integer_series_is_recursive_on_the_row_stores_only():
    sql = "{integer_series(m, i, (select min(x) from t), 9)}"
    assert expand(sql, "sqlite") == (
        "select (select min(x) from t)\n    union all\n    select i + 1\n    from m\n"
        "    where i < 9"
    )
    # Spark runs a recursive CTE's every step as a job of its own
    assert expand(sql, "spark") == (
        "select explode_outer(sequence((select min(x) from t),"
        " greatest((select min(x) from t), 9))) as i"
    )
    # DuckDB evaluates the bound again at every step
    assert expand(sql, "duckdb") == (
        "select unnest(coalesce(generate_series((select min(x) from t),"
        " greatest((select min(x) from t), 9)), [null])) as i"
    )


def test_materialized_is_duckdb_only():
    assert expand("{materialized(m)} (select 1)", "duckdb") == "m as materialized (select 1)"
    for dialect in (*DIALECTS, "spark"):
        assert expand("{materialized(m)} (select 1)", dialect) == "m as (select 1)"


@pytest.mark.parametrize(
    ("first", "last"),
    [("2", "5"), ("2", "2"), ("5", "2"), ("2", "null"), ("null", "5"), ("null", "null")],
)
def test_duckdb_series_gives_the_recursive_rows(first: str, last: str):
    def rows(dialect: str) -> list[tuple[object, ...]]:
        body = expand(f"{{integer_series(m, i, {first}, {last})}}", dialect)
        sql = f"with recursive m (i) as ({body}) select i from m order by i"
        return duckdb.connect().execute(sql).fetchall()

    assert rows("duckdb") == rows("sqlite")
    assert rows("duckdb")  # the anchor's row at least


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("{nope(x)}", "unknown SQL fragment"),
        ("{integer_series(m, i, 0)}", "takes 4 arguments"),
        ("{div(a)}", "takes 2 arguments"),
        ("{div(a, (b)}", "unbalanced"),
        ("{div(a, b) }", "not closed"),
    ],
)
def test_broken_fragments_are_refused(sql, message):
    with pytest.raises(ValueError, match=message):
        expand(sql, "sqlite")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "limit must be between 1 and"),
        ({"limit": -5}, "limit must be between 1 and"),
        ({"limit": True}, "bad value for limit"),
        ({"since": "2024-13-01"}, "bad date for since"),
        ({"until": "tomorrow"}, "bad date for until"),
        ({"category_id": 0}, "must be a category id"),
        ({"colour": "red"}, "has no parameter 'colour'"),
    ],
)
def test_bad_parameters_raise_invalid_input(params, message):
    with pytest.raises(InvalidInput, match=message):
        bind_values(QUERIES["best_selling_products"], params)


def test_until_is_inclusive_of_its_day():
    values = bind_values(QUERIES["total_revenue"], {"since": "2024-01-01", "until": "2024-01-31"})
    assert values == {
        "since": datetime(2024, 1, 1, tzinfo=UTC),
        "until": datetime(2024, 2, 1, tzinfo=UTC),
    }


def test_every_query_and_column_is_documented():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "queries.md").read_text()
    for name, spec in QUERIES.items():
        section = docs.split(f"### `{name}`\n", 1)
        assert len(section) == 2, f"docs/queries.md has no section for {name}"
        body = section[1].split("\n### ", 1)[0]
        for column in spec.column_names:
            assert f"| `{column}` |" in body, f"{name}.{column} is not documented"
        for param in spec.params:
            assert f"- `{param.name}`:" in body, f"{name} parameter {param.name} is not documented"


def test_join_after_fixes_the_join_order_on_mariadb_alone():
    assert expand("a {join_after(orders as o)} on x", "mysql") == "a straight_join orders as o on x"
    for dialect in ("sqlite", "postgresql", "duckdb", "spark"):
        assert expand("{join_after(orders as o)}", dialect) == "inner join orders as o"


def test_same_order_items_reads_the_table_on_mariadb_alone():
    # MariaDB would compute the CTE (and what it reads) again for the second side
    sql = "from paired_items as a inner join {same_order_items(paired_items)} as b"
    assert expand(sql, "mysql").endswith("inner join order_items as b")
    for dialect in ("sqlite", "postgresql", "duckdb", "spark"):
        assert expand(sql, dialect).endswith("inner join paired_items as b")

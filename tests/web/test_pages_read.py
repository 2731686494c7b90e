"""Pages that read, on a generated shop per backend: the figures on the page equal the
catalogue's answers (and those equal plain SQL written here), filters, sorting, keyset
pages, CSV and PNG."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from shopdb.db.schema import orders
from shopdb.queries import run_query
from webshop import END

FROM, TO = "2025-01-01", "2025-06-30"
SINCE, UNTIL = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)


def _kpi(html: str, name: str) -> str:
    found = re.search(rf'data-kpi="{name}" data-value="([^"]*)"', html)
    assert found, f"no tile {name}"
    return found.group(1)


def _scalar(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_overview_tiles_equal_the_queries_and_plain_sql(admin_client, read_engine) -> None:
    page = admin_client.get(f"/?range=custom&from={FROM}&to={TO}&compare=previous")
    assert page.status_code == 200
    assert "total;dur=" in page.headers["server-timing"]
    kpis = run_query(read_engine, "dashboard_kpis", since=SINCE, until=UNTIL).as_dicts()[0]
    for tile, column in (
        ("revenue", "revenue_cents"),
        ("orders", "order_count"),
        ("aov", "aov_cents"),
        ("customers", "customer_count"),
        ("returning_rate", "returning_rate_bp"),
        ("refunds", "refunded_cents"),
    ):
        assert _kpi(page.text, tile) == str(kpis[column])
    recognized = (
        "status in ('paid', 'shipped', 'delivered') and created_at >= :s and created_at < :u"
    )
    window = {"s": SINCE.replace(tzinfo=None), "u": UNTIL.replace(tzinfo=None)}
    assert kpis["revenue_cents"] == _scalar(
        read_engine,
        f"select coalesce(sum(total_cents), 0) from orders where {recognized}",
        **window,
    )
    assert kpis["order_count"] == _scalar(
        read_engine, f"select count(*) from orders where {recognized}", **window
    )
    assert kpis["customer_count"] == _scalar(
        read_engine, f"select count(distinct user_id) from orders where {recognized}", **window
    )
    assert kpis["order_count"] > 0


def test_the_change_is_against_the_previous_period(admin_client, read_engine) -> None:
    page = admin_client.get(f"/?range=custom&from={FROM}&to={TO}&compare=previous").text
    # 181 days before 2025-01-01
    before = run_query(
        read_engine,
        "dashboard_kpis",
        since=datetime(2024, 7, 4, tzinfo=UTC),
        until=SINCE,
    ).as_dicts()[0]
    now = int(_kpi(page, "orders"))
    expected = round(10000 * (now - before["order_count"]) / before["order_count"])
    change = re.search(r'data-kpi="orders".*?data-change-bp="(-?\d+)"', page, re.S)
    assert change and abs(int(change.group(1)) - expected) <= 1
    assert "compared with 2024-07-04 to 2024-12-31" in page


def test_sales_over_time_adds_up_to_the_revenue(admin_client, read_engine) -> None:
    page = admin_client.get(f"/?range=custom&from={FROM}&to={TO}&compare=none").text
    table = page.split("<details><summary>Sales as a table", 1)[1].split("</table>", 1)[0]
    revenues = [
        int(v)
        for v in re.findall(r'<td class="n" data-value="(\d+)">[\d,.]+</td><td class="n"', table)
    ]
    assert len(revenues) == 26  # 181 days in weekly buckets
    assert sum(revenues) == int(_kpi(page, "revenue"))


def test_top_products_and_categories_are_the_queries_rows(admin_client, read_engine) -> None:
    page = admin_client.get(f"/?range=custom&from={FROM}&to={TO}").text
    top = run_query(read_engine, "best_selling_products", limit=8, since=SINCE, until=UNTIL)
    shown = re.findall(r'<tr data-product-id="(\d+)">', page)
    assert shown == [str(r[0]) for r in top.rows]
    cats = run_query(read_engine, "revenue_by_category", since=SINCE, until=UNTIL).as_dicts()
    best = max(cats, key=lambda r: r["revenue_cents"])
    assert re.findall(r'<tr data-category-id="(\d+)">', page)[0] == str(best["category_id"])


def test_the_operations_strip_counts_the_work(admin_client, read_engine) -> None:
    page = admin_client.get("/").text
    for name, sql in (
        ("orders_to_pay", "select count(*) from orders where status = 'pending'"),
        ("orders_to_ship", "select count(*) from orders where status = 'paid'"),
        (
            "low_stock_count",
            "select count(*) from inventory where quantity_on_hand <= reorder_level",
        ),
    ):
        assert f'data-ops="{name}" data-value="{_scalar(read_engine, sql)}"' in page


def test_orders_filter_sort_and_walk_every_page(admin_client, read_engine) -> None:
    with read_engine.connect() as conn:
        expected = [
            int(r[0])
            for r in conn.execute(
                select(orders.c.order_id)
                .where(orders.c.status == "delivered")
                .order_by(orders.c.total_cents.desc(), orders.c.order_id.desc())
            )
        ]
    seen: list[int] = []
    path = "/orders?status=delivered&sort=total_desc"
    while path:
        page = admin_client.get(path).text
        seen += [int(i) for i in re.findall(r'<tr data-order-id="(\d+)">', page)]
        assert '<span class="status">pending</span>' not in page
        nxt = re.search(r'<a href="([^"]+)" rel="next"', page)
        path = nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert seen == expected
    assert len(expected) > 50  # more than one page


def test_orders_search_by_number_and_email(admin_client, read_engine) -> None:
    with read_engine.connect() as conn:
        order_id, email = conn.execute(
            text(
                "select o.order_id, u.email from orders o join users u using (user_id)"
                " order by o.order_id limit 1"
            )
        ).one()
        by_email = conn.execute(
            text("select count(*) from orders o join users u using (user_id) where u.email = :e"),
            {"e": email},
        ).scalar_one()
    page = admin_client.get(f"/orders?q=%23{order_id}").text
    assert re.findall(r'<tr data-order-id="(\d+)">', page) == [str(order_id)]
    page = admin_client.get(f"/orders?q={email}").text
    assert len(re.findall(r'<tr data-order-id="(\d+)">', page)) == min(50, by_email)


def test_orders_csv_holds_every_match(admin_client, read_engine) -> None:
    response = admin_client.get("/orders.csv?status=cancelled")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    with read_engine.connect() as conn:
        count = conn.execute(
            select(func.count()).select_from(orders).where(orders.c.status == "cancelled")
        ).scalar_one()
    assert len(rows) == count > 0
    assert {r["status"] for r in rows} == {"cancelled"}


def test_bad_filters_are_a_400_page(admin_client) -> None:
    for path, message in (
        ("/orders?from=yesterday", "bad date for from"),
        ("/orders?status=lost", "unknown status"),
        ("/orders?min=abc", "bad amount"),
        ("/orders?after=garbage", "malformed page cursor"),
        ("/?range=forever", "unknown range"),
        ("/?range=custom&from=2025-02-01&to=2025-01-01", "after its last day"),
    ):
        response = admin_client.get(path)
        assert response.status_code == 400, path
        assert message in response.text


def test_order_page_shows_its_rows(admin_client, read_engine) -> None:
    with read_engine.connect() as conn:
        order_id, total = conn.execute(
            text(
                "select order_id, total_cents from orders where status = 'delivered'"
                " order by order_id limit 1"
            )
        ).one()
    page = admin_client.get(f"/orders/{order_id}").text
    assert 'id="order-total">' in page and f'data-value="{total}"' in page
    assert 'data-action="refund"' in page and 'data-action="ship"' not in page
    assert page.count("<li><strong>") == 4  # pending, paid, shipped, delivered
    assert admin_client.get("/orders/999999").status_code == 404


def test_inventory_is_low_stock_first(admin_client, read_engine) -> None:
    page = admin_client.get("/inventory").text
    shown = [int(i) for i in re.findall(r'<tr data-product-id="(\d+)">', page)]
    with read_engine.connect() as conn:
        expected = [
            int(r[0])
            for r in conn.execute(
                text(
                    "select product_id from inventory"
                    " order by quantity_on_hand - reorder_level, product_id limit 50"
                )
            )
        ]
    assert shown == expected


def test_analytics_pages_show_each_query(admin_client, read_engine) -> None:
    for name in ("sales", "customers", "products"):
        page = admin_client.get(f"/analytics/{name}?range=custom&from=2024-01-01&to=2025-06-30")
        assert page.status_code == 200
        assert "This card could not load" not in page.text
    monthly = run_query(
        read_engine, "monthly_revenue", since=datetime(2024, 1, 1, tzinfo=UTC), until=UNTIL
    )
    page = admin_client.get("/analytics/sales?range=custom&from=2024-01-01&to=2025-06-30").text
    section = page.split('data-query="monthly_revenue"', 1)[1].split("</section>", 1)[0]
    assert section.count("<tr>") == len(monthly.rows) + 1
    csv_text = admin_client.get(
        "/analytics/query/monthly_revenue.csv?range=custom&from=2024-01-01&to=2025-06-30"
    ).text
    assert len(csv_text.strip().splitlines()) == len(monthly.rows) + 1
    png = admin_client.get(
        "/analytics/query/cohort_retention.png?range=custom&from=2024-01-01&to=2025-06-30"
    )
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert admin_client.get("/analytics/nothing").status_code == 404


def test_cards_that_read_no_rollup_load_on_their_own(admin_client, read_engine) -> None:
    window = "range=custom&from=2024-01-01&to=2025-06-30"
    page = admin_client.get(f"/analytics/sales?{window}").text
    # every card of the sales page reads the rollups for whole days: all are in the page
    assert not re.findall(r'hx-get="/analytics/sales/cards/', page)
    for name in (
        "monthly_revenue",
        "new_vs_returning_revenue",  # sales_daily, customer_cohorts, customer_days
        "revenue_by_country",  # reads country_sales_daily and customer_country_days
        "order_status_funnel",
        "refund_and_cancellation_rates",
        "payment_method_mix",
        "category_growth",  # a row per category and bucket (migration 0020)
    ):
        assert f'data-query="{name}">' in page
    growth = page.split('data-query="category_growth"', 1)[1].split("</section>", 1)[0]
    # a year is a label: 2025, not 2,025
    assert re.search(r'<td class="n" data-value="(20\d\d)">\1</td>', growth)
    assert not re.search(r">\d,\d{3}</td>", growth)
    # basket pairs over a range scan the orders: a placeholder its fragment replaces
    products = admin_client.get(f"/analytics/products?{window}").text
    deferred = re.findall(r'hx-get="(/analytics/products/cards/(\w+)\?[^"]*)"', products)
    assert {name for _, name in deferred} == {"frequently_bought_together"}
    for path, name in deferred:
        fragment = admin_client.get(path.replace("&amp;", "&"), headers={"HX-Request": "true"})
        assert fragment.status_code == 200
        assert fragment.text.lstrip().startswith("<section")
        assert "This card could not load" not in fragment.text
        assert f'data-query="{name}"' in fragment.text
        assert name in fragment.headers["server-timing"]
    funnel = run_query(
        read_engine,
        "order_status_funnel",
        since=datetime(2024, 1, 1, tzinfo=UTC),
        until=UNTIL,
    )
    alone = admin_client.get(f"/analytics/sales/cards/order_status_funnel?{window}").text
    assert alone.startswith("<!doctype html>")  # without htmx: a page of that one card
    section = alone.split('data-query="order_status_funnel"', 1)[1].split("</section>", 1)[0]
    assert section.count("<tr>") == len(funnel.rows) + 1
    assert admin_client.get("/analytics/sales/cards/top_customers").status_code == 404
    assert admin_client.get("/analytics/nothing/cards/top_customers").status_code == 404


def test_drill_down_from_a_category_to_its_products(admin_client, read_engine) -> None:
    cats = run_query(read_engine, "revenue_by_category", since=SINCE, until=UNTIL).as_dicts()
    category = max(cats, key=lambda r: r["revenue_cents"])["category_id"]
    page = admin_client.get(
        f"/analytics/products?range=custom&from={FROM}&to={TO}&category_id={category}"
    ).text
    best = run_query(
        read_engine,
        "best_selling_products",
        limit=15,
        since=SINCE,
        until=UNTIL,
        category_id=category,
    )
    section = page.split('data-query="best_selling_products"', 1)[1].split("</section>", 1)[0]
    assert [f"/inventory/{r[0]}" for r in best.rows] == re.findall(
        r'href="(/inventory/\d+)"', section
    )


def test_customer_page_shows_lifetime_value(admin_client, read_engine) -> None:
    top = run_query(read_engine, "top_customers", limit=1).as_dicts()[0]
    page = admin_client.get(f"/customers/{top['user_id']}").text
    assert f'id="ltv" data-value="{top["lifetime_spend_cents"]}"' in page
    found = admin_client.get(f"/customers?q={top['email']}", follow_redirects=False)
    assert found.headers["location"] == f"/customers/{top['user_id']}"


def test_audit_page_lists_every_check(admin_client) -> None:
    from shopdb.audit.catalog import CHECKS

    page = admin_client.get("/audit").text
    assert len(re.findall(r'<tr data-check="', page)) == len(CHECKS)
    assert 'data-failed="0"' in page


def test_customer_segments_add_up_to_the_rfm_segments(admin_client, read_engine) -> None:
    from shopdb.queries.params import LATEST
    from shopdb.queries.segments import customer_segments

    with read_engine.connect() as conn:
        everyone = [int(r[0]) for r in conn.execute(text("select user_id from users"))]
    segments = customer_segments(read_engine, everyone)
    counted: dict[str, int] = {}
    for shown in segments.values():
        counted[shown.segment] = counted.get(shown.segment, 0) + 1
    expected = run_query(read_engine, "rfm_segments", as_of=LATEST).as_dicts()
    assert counted == {r["segment"]: r["customer_count"] for r in expected}
    # the pages show the same segment
    top = run_query(read_engine, "top_customers", limit=1).as_dicts()[0]
    # the page comes first; htmx then asks for the segments (a scan of every customer)
    first = admin_client.get(f"/customers/{top['user_id']}")
    assert 'id="segment" aria-busy="true"' in first.text
    assert "segment;dur" not in first.headers["server-timing"]
    swap = {"HX-Request": "true", "HX-Target": "segment"}
    page = admin_client.get(f"/customers/{top['user_id']}", headers=swap).text
    assert page.startswith(f'<dd id="segment" data-value="{segments[top["user_id"]].segment}"')
    assert "?segments=1" in admin_client.get("/customers").text
    listing = admin_client.get("/customers", headers={"HX-Target": "results"}).text
    assert listing.lstrip().startswith('<section class="card"')
    row = listing.split(f'<tr data-user-id="{top["user_id"]}">', 1)[1].split("</tr>", 1)[0]
    assert f'data-value="{segments[top["user_id"]].segment}"' in row
    # without JavaScript, segments=1 shows them in the page; no recognized order, no segment
    without = sorted(set(everyone) - set(segments))[0]
    page = admin_client.get(f"/customers/{without}?segments=1").text
    assert 'id="segment" data-value=""' in page


def test_htmx_gets_only_the_fragment_it_swaps(admin_client) -> None:
    swap = {"HX-Request": "true", "HX-Target": "results"}
    for path in ("/orders?sort=total_desc", "/inventory?low=1"):
        whole = admin_client.get(path)
        part = admin_client.get(path, headers=swap)
        assert part.status_code == 200 and part.headers["vary"] == "HX-Target"
        assert part.text.lstrip().startswith('<section class="card"')
        assert 'id="results"' in part.text and "<html" not in part.text
        # the fragment is the page's own region, byte for byte
        assert part.text.strip() in whole.text
    view = admin_client.get(
        f"/?range=custom&from={FROM}&to={TO}", headers={"HX-Request": "true", "HX-Target": "view"}
    )
    assert view.text.lstrip().startswith('<div id="view"') and "<nav" not in view.text
    assert 'data-kpi="revenue"' in view.text
    sales = admin_client.get(
        "/analytics/sales", headers={"HX-Request": "true", "HX-Target": "view"}
    )
    assert sales.text.lstrip().startswith('<div id="view"')
    # another target, or none, gets the page
    assert "<html" in admin_client.get("/orders", headers={"HX-Target": "elsewhere"}).text


def test_the_cohort_heat_map_is_part_of_the_customers_page(admin_client, read_engine) -> None:
    # its rollup form answers any range of whole days: no placeholder, the rows of the
    # base tables
    window = "range=custom&from=2024-01-01&to=2025-06-30"
    page = admin_client.get(f"/analytics/customers?{window}").text
    deferred = re.findall(r'hx-get="/analytics/customers/cards/(\w+)\?', page)
    assert "cohort_retention" not in deferred
    assert 'data-query="cohort_retention">' in page
    base = run_query(
        read_engine, "cohort_retention", source="base", since="2024-01-01", until="2025-07-01"
    )
    assert base.rows
    shown = re.findall(r'data-query="cohort_retention">.*?</section>', page, re.S)[0]
    for row in base.as_dicts()[:3]:
        assert f'data-value="{row["retention_bp"]}"' in shown


def test_lifetime_value_loads_with_the_page_for_a_range_ending_today(
    admin_client, read_engine
) -> None:
    today = datetime.now(UTC).date()
    since = END - timedelta(days=365)  # the shop's last year, up to today
    page = admin_client.get(f"/analytics/customers?range=custom&from={since}&to={today}").text
    deferred = re.findall(r'hx-get="/analytics/customers/cards/(\w+)\?', page)
    assert "customer_lifetime_value" not in deferred
    shown = re.findall(r'data-query="customer_lifetime_value">.*?</section>', page, re.S)[0]
    base = run_query(
        read_engine,
        "customer_lifetime_value",
        source="base",
        since=datetime.combine(since, datetime.min.time(), UTC),
        until=datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC),
    )
    assert base.rows  # the shop's last year is in the range
    for row in base.as_dicts():
        assert f'data-value="{row["clv_cents"]}"' in shown
    # a range that ended long ago recounts its cohort: the card loads on its own
    past = admin_client.get("/analytics/customers?range=custom&from=2024-01-01&to=2024-06-30")
    assert "customer_lifetime_value" in re.findall(
        r'hx-get="/analytics/customers/cards/(\w+)\?', past.text
    )

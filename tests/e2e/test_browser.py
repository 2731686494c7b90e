"""The dashboard in headless Chromium: the daily flows by mouse and by keyboard, nothing
fetched from another host, and no axe-core violation on any page in light or dark mode."""

from __future__ import annotations

import io
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from browsing import loaded, log_in, open_page, settled

AXE = Path(str(resources.files("shopdb.web"))) / "static" / "vendor" / "axe.min.js"
PAGES = (
    "/",
    "/?range=ytd&compare=year",
    "/orders",
    "/orders/1",
    "/inventory",
    "/inventory/1",
    "/customers",
    "/customers/1",
    "/analytics/sales?range=custom&from=2024-01-01&to=2025-11-25",
    "/analytics/customers?range=custom&from=2024-01-01&to=2025-11-25",
    "/analytics/products?range=custom&from=2024-01-01&to=2025-11-25",
    "/audit",
    "/staff",
)


def _kpi(page: Any, name: str) -> str:
    return str(page.get_attribute(f'[data-kpi="{name}"]', "data-value"))


def test_log_in_change_the_range_drill_down_and_log_out(browser, server) -> None:
    context, page, left = open_page(browser, server)
    page.goto("/orders")
    assert "/login" in page.url
    log_in(page, "admin@example.com")
    before = _kpi(page, "revenue")
    page.select_option("#range", "ytd")
    page.wait_for_url(re.compile(r"range=ytd"))
    settled(page)
    assert _kpi(page, "revenue") != before
    page.wait_for_selector("canvas[data-drawn]")
    page.select_option("#compare", "none")
    page.wait_for_url(re.compile(r"compare=none"))
    settled(page)
    assert page.locator("[data-change-bp]").count() == 0
    page.reload()
    assert "compare=none" in page.url and page.locator("[data-kpi]").count() == 6
    # drill down from the best category into its products
    page.locator("#categories tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/analytics/products\?.*category_id=\d+"))
    assert page.locator('[data-query="best_selling_products"] canvas').count() == 1
    page.click("button:has-text('Log out')")
    page.wait_for_url(re.compile(r"/login$"))
    page.goto("/orders")
    assert "/login" in page.url
    context.close()
    assert left == []


def test_sort_and_paginate_orders(browser, server) -> None:
    context, page, left = open_page(browser, server)
    log_in(page, "analyst@example.com")
    page.goto("/orders")
    page.click("#orders-table th:nth-child(5) a")
    page.wait_for_url(re.compile(r"sort=total_desc"))
    settled(page)
    totals = [
        int(v)
        for v in page.locator("#orders-table td[data-value]:nth-child(5)").evaluate_all(
            "els => els.map(e => e.dataset.value)"
        )
    ]
    assert totals == sorted(totals, reverse=True) and len(totals) == 50
    first = page.locator("#orders-table tbody tr").first.get_attribute("data-order-id")
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"after="))
    settled(page)
    more = [
        int(v)
        for v in page.locator("#orders-table td[data-value]:nth-child(5)").evaluate_all(
            "els => els.map(e => e.dataset.value)"
        )
    ]
    assert max(more) <= min(totals)
    assert page.locator(f'tr[data-order-id="{first}"]').count() == 0
    context.close()
    assert left == []


def test_sorting_paging_and_ranges_swap_a_fragment_and_update_the_url(browser, server) -> None:
    context, page, left = open_page(browser, server)
    log_in(page, "admin@example.com")
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(f"{r.resource_type} {r.url}"))
    page.goto("/orders")
    # a full load would drop this marker and fetch the scripts again
    page.evaluate("window.__stayed = true")
    fetched.clear()
    page.click("#orders-table th:nth-child(5) a")
    page.wait_for_url(re.compile(r"/orders\?sort=total_desc$"))
    settled(page)
    # the filter form, outside the swapped table, shows the sort the URL now holds
    assert page.locator("form.filters select[name=sort]").input_value() == "total_desc"
    page.click("#results a[rel=next]")
    page.wait_for_url(re.compile(r"sort=total_desc&after="))
    settled(page)
    assert page.evaluate("window.__stayed") is True
    assert [f for f in fetched if f.startswith(("document ", "script ", "stylesheet "))] == []
    assert len([f for f in fetched if f.startswith("xhr ")]) == 2
    assert page.locator("#orders-table tbody tr").count() == 50
    page.go_back()  # htmx restores the earlier fragment and its URL
    page.wait_for_url(re.compile(r"/orders\?sort=total_desc$"))
    settled(page)
    assert page.evaluate("window.__stayed") is True
    # the range on the overview: only the view below the navigation is swapped
    page.goto("/analytics/products?range=30d")
    page.wait_for_selector("canvas[data-drawn]")
    page.evaluate("window.__stayed = true")
    fetched.clear()
    page.select_option("#range", "ytd")
    page.wait_for_url(re.compile(r"/analytics/products\?range=ytd"))
    settled(page)
    page.wait_for_selector("canvas[data-drawn]")
    assert page.evaluate("window.__stayed") is True
    assert [f for f in fetched if f.startswith(("document ", "script ", "stylesheet "))] == []
    assert page.locator("#range").input_value() == "ytd"
    assert page.locator("header.top nav").count() == 1  # not nested by the swap
    # the URL alone shows the same view: reload it without the fragment
    page.reload()
    assert page.locator("#range").input_value() == "ytd"
    context.close()
    assert left == []


def test_pay_and_ship_an_order_then_restock(browser, server) -> None:
    context, page, left = open_page(browser, server)
    log_in(page, "clerk@example.com")
    page.goto("/orders?status=pending&sort=oldest")
    page.locator("#orders-table tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/orders/\d+$"))
    page.select_option("#method", "paypal")
    page.click('form[data-action="pay"] button')
    page.wait_for_url(re.compile(r"done=pay"))
    assert page.get_attribute("[data-status]", "data-status") == "paid"
    page.fill("#carrier", "DHL")
    page.click('form[data-action="ship"] button')
    page.wait_for_url(re.compile(r"done=ship"))
    assert page.get_attribute("[data-status]", "data-status") == "shipped"
    assert "DHL" in page.inner_text("#shipment")
    page.goto("/inventory?low=1")
    page.locator("#stock-table tbody tr a").first.click()
    on_hand = int(str(page.get_attribute("#on-hand", "data-value")))
    page.fill("#quantity", "25")
    page.click('form[data-action="restock"] button')
    page.wait_for_url(re.compile(r"done=restock"))
    assert int(str(page.get_attribute("#on-hand", "data-value"))) == on_hand + 25
    assert page.locator("#ledger tbody tr").first.inner_text().split("\t")[1:3] == [
        "receipt",
        "+25",
    ]
    context.close()
    assert left == []


def test_keyboard_only_log_in_and_open_an_order(browser, server) -> None:
    context, page, left = open_page(browser, server)
    page.goto("/login")
    # the email field has the focus when the page opens
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type("clerk@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    # the first Tab reaches the skip link; following it moves the focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.reload()
    # tab to the Orders link in the navigation and follow it
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Orders":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders$"))
    page.focus("#orders-table tbody tr a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders/\d+$"))
    # the focus ring is visible
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    context.close()
    assert left == []


def test_no_accessibility_violations_on_any_page(browser, server, scheme) -> None:
    context, page, left = open_page(browser, server, scheme)
    log_in(page, "admin@example.com")
    found: dict[str, list[str]] = {}
    for path in (*PAGES, "/orders/999999"):
        page.goto(path)
        loaded(page)
        page.add_script_tag(path=str(AXE))
        # every violation in full; passes and incomplete results are not collected
        # (axe then builds no selector for each of their nodes: half its time here)
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, "
            "resultTypes: ['violations']})"
        )
        problems = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]]
        if problems:
            found[path] = problems
    context.close()
    assert found == {}
    assert left == []


def test_the_login_page_is_accessible_too(browser, server, scheme) -> None:
    context, page, left = open_page(browser, server, scheme)
    page.goto("/login")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run()")
    context.close()
    assert [v["id"] for v in result["violations"]] == []
    assert left == []


SNAPSHOTS = Path(__file__).parent / "snapshots"
TOLERANCE = 0.01
"""The share of pixels that may differ noticeably (font hinting, antialiasing)."""


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("overview", "/?range=custom&from=2024-06-01&to=2024-06-30&compare=previous"),
        ("analytics-customers", "/analytics/customers?range=custom&from=2024-01-01&to=2024-12-31"),
    ],
)
def test_pages_look_as_they_did(browser, server, scheme, name, path) -> None:
    from PIL import Image, ImageChops

    context, page, left = open_page(browser, server, scheme)
    log_in(page, "analyst@example.com")
    page.goto(path)
    page.wait_for_load_state("networkidle")
    # the work queue changes as other tests pay, ship and restock: it is masked
    shot = page.screenshot(mask=[page.locator(".ops")], animations="disabled")
    context.close()
    reference = SNAPSHOTS / f"{name}-{scheme}.png"
    if not reference.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        reference.write_bytes(shot)
        pytest.fail(f"no snapshot yet: wrote {reference.name}; look at it and commit it")
    now = Image.open(io.BytesIO(shot)).convert("RGB")
    before = Image.open(reference).convert("RGB")
    assert now.size == before.size
    diff = ImageChops.difference(now, before).convert("L").point(lambda v: 255 if v > 40 else 0)
    histogram = diff.histogram()  # 256 counts: [0] unchanged, [255] changed
    changed = histogram[255] / (now.size[0] * now.size[1])
    assert changed <= TOLERANCE, f"{changed:.2%} of the pixels changed"
    assert left == []

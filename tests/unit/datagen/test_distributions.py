"""The generated shop behaves like a real one: seasonality, skew, names and emails."""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from shopdb.datagen.catalog_data import TREE
from shopdb.datagen.convert import strings
from shopdb.datagen.people import user_frame


def _month_of(seconds):
    return (np.asarray(seconds).astype("datetime64[s]").astype("datetime64[M]").astype(int)) % 12


def test_holiday_months_sell_more_than_the_yearly_average(small_shop):
    shop, frames = small_shop
    created = np.asarray(frames["orders"].columns["created_at"])
    # compare within the last full year, so growth does not favour late months
    last_year = created >= shop.params.end_s - 365 * 86_400
    per_month = np.bincount(_month_of(created[last_year]), minlength=12)
    average = per_month.mean()
    assert per_month[10] > average  # November
    assert per_month[11] > 1.15 * average  # December


def test_the_most_popular_fifth_of_products_sells_most_units(small_shop):
    shop, frames = small_shop
    items = frames["order_items"].columns
    units = np.bincount(items["product_id"], weights=items["quantity"])
    top = np.sort(units)[::-1][: shop.catalog.size // 5]
    assert top.sum() > 0.5 * units.sum()


def test_one_time_buyers_are_a_large_share_and_some_never_buy(small_shop):
    shop, frames = small_shop
    per_user = np.bincount(
        frames["orders"].columns["user_id"], minlength=shop.params.scale.users + 1
    )[1:]
    buyers = per_user[per_user > 0]
    assert (buyers == 1).mean() > 0.3
    assert (per_user == 0).mean() > 0.1
    # and a few buy very often
    assert buyers.max() > 20 * np.median(buyers)


def _plain(name):
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def test_emails_are_unique_and_made_from_the_names(small_shop):
    shop, _ = small_shop
    users = user_frame(shop.people, shop.pools, 0, len(shop.people)).columns
    emails = list(users["email"])
    assert len(set(emails)) == len(emails)
    firsts, lasts = strings(users["first_name"]), strings(users["last_name"])
    for email, first, last in zip(emails, firsts, lasts, strict=True):
        local = re.sub(r"\d+$", "", email.split("@")[0])
        f, surname = _plain(first), _plain(last)
        assert local in {
            f"{f}.{surname}",
            f"{f[0]}{surname}",
            f"{f}_{surname}",
            f"{f}.{surname[0]}",
        }, email
    assert any(re.search(r"\d@", e) for e in emails)  # taken addresses got a number


def test_the_category_tree_is_big_enough():
    assert len(TREE) >= 8
    assert sum(len(top.leaves) for top in TREE) >= 50


def test_prices_end_like_shop_prices(small_shop):
    shop, _ = small_shop
    cents = shop.catalog.price_cents % 100
    assert set(np.unique(cents)) <= {0, 49, 95, 99}
    assert (cents == 99).mean() > 0.4


def test_recent_orders_are_still_open_and_old_ones_are_settled(small_shop):
    shop, frames = small_shop
    orders = frames["orders"].columns
    status = orders["status"].strings()
    age = shop.params.end_s - np.asarray(orders["created_at"])
    old = age > 90 * 86_400
    assert set(status[old]) <= {"delivered", "refunded", "cancelled"}
    recent = age < 86_400
    assert {"pending", "paid"} <= set(status[recent])

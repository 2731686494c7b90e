"""Users, categories and products: CRUD, ETag / If-Match, filters, refused deletes."""

from __future__ import annotations

from api_support import Shop, TestClient, count_rows, snapshot

from shopdb.db.schema import products, users
from shopdb.queries import run_query
from shopdb.rollups.build import refresh


def test_get_product_carries_an_etag_and_patch_needs_it(client: TestClient, shop: Shop) -> None:
    url = f"/v1/products/{shop.lamp}"
    read = client.get(url, headers=shop.auth("clerk"))
    etag = read.headers["ETag"]
    before = snapshot(shop.engine)

    missing = client.patch(url, json={"price_cents": 1200}, headers=shop.auth("clerk"))
    assert missing.status_code == 428
    assert snapshot(shop.engine) == before

    changed = client.patch(
        url, json={"price_cents": 1200}, headers={**shop.auth("clerk"), "If-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.json()["price_cents"] == 1200
    assert changed.headers["ETag"] != etag
    assert client.get(url, headers=shop.auth()).headers["ETag"] == changed.headers["ETag"]

    after_change = snapshot(shop.engine)
    stale = client.patch(
        url, json={"name": "Old"}, headers={**shop.auth("clerk"), "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert snapshot(shop.engine) == after_change


def test_a_stale_etag_from_another_product_is_refused(client: TestClient, shop: Shop) -> None:
    other = client.get(f"/v1/products/{shop.mug}", headers=shop.auth()).headers["ETag"]
    before = snapshot(shop.engine)
    response = client.patch(
        f"/v1/products/{shop.lamp}",
        json={"price_cents": 1},
        headers={**shop.auth(), "If-Match": other},
    )
    assert response.status_code == 412
    assert snapshot(shop.engine) == before


def test_a_taken_sku_is_a_409_naming_it(client: TestClient, shop: Shop) -> None:
    etag = client.get(f"/v1/products/{shop.lamp}", headers=shop.auth()).headers["ETag"]
    before = snapshot(shop.engine)
    response = client.patch(
        f"/v1/products/{shop.lamp}",
        json={"sku": "MUG-1"},
        headers={**shop.auth(), "If-Match": etag},
    )
    assert response.status_code == 409
    assert "MUG-1" in response.json()["detail"]
    assert snapshot(shop.engine) == before


def test_products_filter_by_category_price_text_and_low_stock(
    client: TestClient, shop: Shop
) -> None:
    def ids(query: str) -> list[int]:
        response = client.get(f"/v1/products?{query}", headers=shop.auth("analyst"))
        assert response.status_code == 200, response.text
        return [p["product_id"] for p in response.json()["data"]]

    assert ids(f"category_id={shop.category}") == [shop.lamp, shop.mug]
    assert ids("min_price_cents=500") == [shop.lamp]
    assert ids("max_price_cents=500") == [shop.mug]
    assert ids("q=lam") == [shop.lamp]
    assert ids("q=MUG") == [shop.mug]
    assert ids("q=100%25") == []
    # reorder levels are 0: nothing is low until a product runs out
    assert ids("low_stock=true") == []
    assert ids("low_stock=false") == [shop.lamp, shop.mug]


def test_create_read_and_delete_a_product_never_ordered(client: TestClient, shop: Shop) -> None:
    created = client.post(
        "/v1/products",
        json={
            "category_id": shop.category,
            "sku": "NEW-1",
            "name": "New",
            "price_cents": 5,
            "quantity": 3,
        },
        headers=shop.auth("clerk"),
    )
    assert created.status_code == 201
    url = created.headers["Location"]
    assert client.get(f"{url}/inventory", headers=shop.auth()).json()["quantity_on_hand"] == 3

    assert client.delete(url, headers=shop.auth("clerk")).status_code == 403
    assert client.delete(url, headers=shop.auth("admin")).json() == {"deleted": True}
    assert client.get(url, headers=shop.auth()).status_code == 404
    assert count_rows(shop.engine, products) == 2


def test_deleting_an_ordered_product_is_a_409_naming_the_foreign_key(
    client: TestClient, shop: Shop
) -> None:
    client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=shop.auth(),
    )
    before = snapshot(shop.engine)

    response = client.delete(f"/v1/products/{shop.lamp}", headers=shop.auth())

    assert response.status_code == 409
    assert response.json()["constraint"] == "fk_order_items_product_id"
    assert snapshot(shop.engine) == before


def test_deleting_a_user_with_orders_is_a_409_and_one_without_goes(
    client: TestClient, shop: Shop
) -> None:
    client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=shop.auth(),
    )
    before = snapshot(shop.engine)
    refused = client.delete(f"/v1/users/{shop.user}", headers=shop.auth())
    assert refused.status_code == 409
    assert refused.json()["constraint"] == "fk_orders_user_id"
    assert snapshot(shop.engine) == before

    assert client.delete(f"/v1/users/{shop.other_user}", headers=shop.auth()).status_code == 200
    assert count_rows(shop.engine, users) == 1


def test_users_register_update_and_a_duplicate_email_is_a_409(
    client: TestClient, shop: Shop
) -> None:
    created = client.post(
        "/v1/users",
        json={
            "email": " New@Example.COM ",
            "first_name": "New",
            "last_name": "One",
            "country_code": "de",
        },
        headers=shop.auth("clerk"),
    )
    assert created.status_code == 201
    assert (created.json()["email"], created.json()["country_code"]) == ("new@example.com", "DE")
    before = snapshot(shop.engine)
    duplicate = client.post(
        "/v1/users",
        json={"email": "new@example.com", "first_name": "X", "last_name": "Y"},
        headers=shop.auth("clerk"),
    )
    assert duplicate.status_code == 409
    assert snapshot(shop.engine) == before

    changed = client.patch(
        created.headers["Location"], json={"city": "Bonn"}, headers=shop.auth("clerk")
    )
    assert changed.json()["city"] == "Bonn"


def test_an_analyst_sees_emails_masked(client: TestClient, shop: Shop) -> None:
    url = f"/v1/users/{shop.user}"
    assert client.get(url, headers=shop.auth("clerk")).json()["email"] == "ann.lee@example.com"
    assert client.get(url, headers=shop.auth("analyst")).json()["email"] == "a***@example.com"
    listed = client.get("/v1/users", headers=shop.auth("analyst")).json()["data"]
    assert [u["email"] for u in listed] == ["a***@example.com", "b***@example.com"]


def test_categories_create_rename_and_refuse_deleting_one_with_products(
    client: TestClient, shop: Shop
) -> None:
    child = client.post(
        "/v1/categories",
        json={"name": "Lamps", "parent_id": shop.category},
        headers=shop.auth("clerk"),
    )
    assert child.status_code == 201
    twin = client.post(
        "/v1/categories",
        json={"name": "Lamps", "parent_id": shop.category},
        headers=shop.auth("clerk"),
    )
    assert twin.status_code == 409
    renamed = client.patch(
        child.headers["Location"], json={"name": "Lights"}, headers=shop.auth("clerk")
    )
    assert renamed.json()["name"] == "Lights"
    tops = client.get("/v1/categories?parent_id=0", headers=shop.auth()).json()["data"]
    assert [c["name"] for c in tops] == ["Home"]

    before = snapshot(shop.engine)
    refused = client.delete(f"/v1/categories/{shop.category}", headers=shop.auth())
    assert refused.status_code == 409
    assert refused.json()["constraint"] in ("fk_products_category_id", "fk_categories_parent_id")
    assert snapshot(shop.engine) == before
    assert client.delete(child.headers["Location"], headers=shop.auth()).status_code == 200


def test_a_product_moved_to_another_category_takes_its_revenue_along(
    client: TestClient, shop: Shop
) -> None:
    """The category rollups follow a PATCH of ``category_id``: revenue by category over
    HTTP (from the rollups) moves the lamp's sales, and equals the base tables' answer."""
    admin = shop.auth()
    order = client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 2}]},
        headers=admin,
    ).json()
    assert (
        client.post(
            f"/v1/orders/{order['order_id']}/payments", json={"method": "card"}, headers=admin
        ).status_code
        == 201
    )
    refresh(shop.engine)  # the refresher folds the sale into the category rollups
    garden = client.post("/v1/categories", json={"name": "Garden"}, headers=admin).json()
    etag = client.get(f"/v1/products/{shop.lamp}", headers=admin).headers["ETag"]

    moved = client.patch(
        f"/v1/products/{shop.lamp}",
        json={"category_id": garden["category_id"]},
        headers={**admin, "If-Match": etag},
    )

    assert moved.status_code == 200
    rows = client.get("/v1/analytics/revenue_by_category", headers=admin).json()["data"]
    revenue = {row["category_id"]: row["revenue_cents"] for row in rows}
    assert revenue == {shop.category: 0, garden["category_id"]: 2000}
    base = run_query(shop.engine, "revenue_by_category", source="base").as_dicts()
    assert rows == base


def test_a_move_to_a_category_that_does_not_exist_is_a_404_and_moves_nothing(
    client: TestClient, shop: Shop
) -> None:
    admin = shop.auth()
    order = client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=admin,
    ).json()
    client.post(f"/v1/orders/{order['order_id']}/payments", json={"method": "card"}, headers=admin)
    refresh(shop.engine)  # the sale is folded: a move would have rows to take along
    etag = client.get(f"/v1/products/{shop.lamp}", headers=admin).headers["ETag"]
    before = snapshot(shop.engine)
    revenue = client.get("/v1/analytics/revenue_by_category", headers=admin).json()["data"]

    moved = client.patch(
        f"/v1/products/{shop.lamp}",
        json={"category_id": 999_999},
        headers={**admin, "If-Match": etag},
    )

    assert moved.status_code == 404
    assert moved.headers["content-type"] == "application/problem+json"
    assert "999999" in moved.json()["detail"]
    assert snapshot(shop.engine) == before
    after = client.get("/v1/analytics/revenue_by_category", headers=admin).json()["data"]
    assert after == revenue

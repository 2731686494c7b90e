"""The OpenAPI links of the document: which response feeds which next request.

A link says, for one response of one operation, how to call another with values taken
from it (``$response.body#/order_id``, ``$response.header.ETag``): a client (or
Schemathesis's state machine) can then follow the real sequences of the shop: create,
read, act, read. They describe only sequences the API supports.
"""

from __future__ import annotations

from typing import Any

_ORDER = "/v1/orders/{order_id}"
_PRODUCT = "/v1/products/{product_id}"
_ORDER_ID = {"order_id": "$response.body#/order_id"}
_PRODUCT_ID = {"product_id": "$response.body#/product_id"}
_WITH_ETAG = {**_PRODUCT_ID, "header.If-Match": "$response.header.ETag"}

_READ_ORDER = ("GetOrder", "GET", _ORDER, _ORDER_ID)
_PAY = ("PayOrder", "POST", _ORDER + "/payments", _ORDER_ID)
_CANCEL = ("CancelOrder", "POST", _ORDER + "/cancel", _ORDER_ID)
_SHIP = ("ShipOrder", "POST", _ORDER + "/ship", _ORDER_ID)
_DELIVER = ("DeliverOrder", "POST", _ORDER + "/deliver", _ORDER_ID)
_REFUND = ("RefundOrder", "POST", _ORDER + "/refund", _ORDER_ID)
_PRODUCT_LINKS = [
    ("GetProduct", "GET", _PRODUCT, _PRODUCT_ID),
    ("ChangeProduct", "PATCH", _PRODUCT, _WITH_ETAG),
    ("RestockProduct", "POST", _PRODUCT + "/restock", _PRODUCT_ID),
    ("GetInventory", "GET", _PRODUCT + "/inventory", _PRODUCT_ID),
]
_ORDER_ACTED = [_READ_ORDER, _PAY, _CANCEL, _SHIP, _DELIVER, _REFUND]

LINKS: dict[tuple[str, str, str], list[tuple[str, str, str, dict[str, str]]]] = {
    ("POST", "/v1/orders", "201"): _ORDER_ACTED,
    ("GET", _ORDER, "200"): _ORDER_ACTED[1:],
    ("POST", _ORDER + "/payments", "201"): [_READ_ORDER, _SHIP, _CANCEL, _REFUND],
    ("POST", _ORDER + "/cancel", "200"): [_READ_ORDER],
    ("POST", _ORDER + "/ship", "200"): [_READ_ORDER, _DELIVER, _REFUND],
    ("POST", _ORDER + "/deliver", "200"): [_READ_ORDER, _REFUND],
    ("POST", _ORDER + "/refund", "200"): [_READ_ORDER],
    ("POST", "/v1/products", "201"): _PRODUCT_LINKS,
    ("GET", _PRODUCT, "200"): _PRODUCT_LINKS[1:],
    ("PATCH", _PRODUCT, "200"): [_PRODUCT_LINKS[0], _PRODUCT_LINKS[1]],
    ("POST", "/v1/users", "201"): [
        ("GetUser", "GET", "/v1/users/{user_id}", {"user_id": "$response.body#/user_id"})
    ],
    ("POST", "/v1/categories", "201"): [
        (
            "GetCategory",
            "GET",
            "/v1/categories/{category_id}",
            {"category_id": "$response.body#/category_id"},
        )
    ],
}
"""(method, path, status) -> the links of that response: (name, method, path, parameters)."""


def add_links(schema: dict[str, Any]) -> None:
    """Add ``LINKS`` to the document's responses, naming targets by their operationId."""
    paths = schema.get("paths", {})

    def operation_id(method: str, path: str) -> str:
        return str(paths[path][method.lower()]["operationId"])

    for (method, path, status), links in LINKS.items():
        response = paths[path][method.lower()]["responses"][status]
        response["links"] = {
            name: {"operationId": operation_id(m, p), "parameters": parameters}
            for name, m, p, parameters in links
        }

"""The transactional layer: one function per use case, each one transaction.

Every public function takes an ``Engine``, opens and ends its own transaction (retrying
deadlocks and serialization failures, see ``_tx``), and leaves the database exactly as
it was when it raises. Order status changes go through ``_status`` and follow
``shopdb.lifecycle.TRANSITIONS``.
"""

from shopdb.services._tx import observe_retries, run_in_transaction
from shopdb.services.catalog import (
    ProductRef,
    Restocked,
    change_price,
    create_category,
    create_product,
    resolve_product,
    restock,
    restock_product,
)
from shopdb.services.fulfilment import deliver_order, ship_order
from shopdb.services.order_view import (
    OrderItemView,
    OrderView,
    PaymentView,
    ShipmentView,
    StatusChangeView,
    get_order,
)
from shopdb.services.orders import Items, cancel_order, checkout, place_order
from shopdb.services.payments import Payment, pay_order, refund_order
from shopdb.services.users import register_user, update_user

__all__ = [
    "Items",
    "OrderItemView",
    "OrderView",
    "Payment",
    "PaymentView",
    "ProductRef",
    "Restocked",
    "ShipmentView",
    "StatusChangeView",
    "cancel_order",
    "change_price",
    "checkout",
    "create_category",
    "create_product",
    "deliver_order",
    "get_order",
    "observe_retries",
    "pay_order",
    "place_order",
    "refund_order",
    "register_user",
    "resolve_product",
    "restock",
    "restock_product",
    "run_in_transaction",
    "ship_order",
    "update_user",
]

"""``shopdb order ...`` and ``shopdb product restock``: the order lifecycle from a shell.

Products are named by id or by SKU (an argument that is all digits is tried as an id
first, then as a SKU). Every command is one service call, so one transaction: on an
error it prints one line and nothing is written.
"""

from __future__ import annotations

from functools import partial

import click
from rich.console import Console
from rich.table import Table

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.errors import InvalidInput
from shopdb.lifecycle import PAYMENT_METHODS
from shopdb.money import money
from shopdb.services import (
    OrderView,
    cancel_order,
    checkout,
    deliver_order,
    get_order,
    pay_order,
    refund_order,
    restock_product,
    ship_order,
)

amount = partial(money, grouped=False)
"""Cents as a decimal amount without grouping, e.g. 123456 -> 1234.56."""


def parse_item(text: str) -> tuple[str, int]:
    """Split ``PRODUCT:QTY`` into the product reference and a positive quantity.

    Raises:
        InvalidInput: not of that form, or the quantity is not a positive integer.
    """
    product, sep, qty = text.rpartition(":")
    if not sep or not product.strip():
        raise InvalidInput(f"malformed item {text!r}: expected PRODUCT:QTY, e.g. 12:3 or SKU-1:2")
    try:
        quantity = int(qty)
    except ValueError:
        raise InvalidInput(f"malformed quantity in {text!r}: expected a whole number") from None
    if quantity <= 0:
        raise InvalidInput(f"quantity in {text!r} must be positive")
    return product.strip(), quantity


@click.group()
def order() -> None:
    """Place orders and move them through their lifecycle."""


@order.command("place")
@click.option("--user", "user_id", type=int, required=True, help="The buying user's id.")
@click.option(
    "--item",
    "items",
    multiple=True,
    required=True,
    metavar="PRODUCT:QTY",
    help="A product (id or SKU) and a quantity; repeat for more items.",
)
@pass_shop
def place(shop: ShopContext, user_id: int, items: tuple[str, ...]) -> None:
    """Place an order, taking its stock; prints the new order's id."""
    parsed = [parse_item(text) for text in items]
    details = checkout(shop.engine(), user_id, parsed)
    click.echo(
        f"placed order {details.order_id}: {len(details.items)} item(s), "
        f"total {amount(details.total_cents)} ({details.status})"
    )


@order.command("pay")
@click.argument("order_id", type=int)
@click.option(
    "--method",
    type=click.Choice(PAYMENT_METHODS),
    default="card",
    show_default=True,
    help="How the customer pays.",
)
@click.option("--amount", "amount_cents", type=int, help="Amount in cents (default: the total).")
@click.option("--key", help="Idempotency key: a retry with the same key is recorded once.")
@click.option("--declined", is_flag=True, help="Record a declined attempt (status failed).")
@pass_shop
def pay(
    shop: ShopContext,
    order_id: int,
    method: str,
    amount_cents: int | None,
    key: str | None,
    declined: bool,
) -> None:
    """Pay a pending order (exact amount); it becomes paid."""
    payment = pay_order(shop.engine(), order_id, amount_cents, method, key, approved=not declined)
    click.echo(
        f"payment {payment.payment_id} of order {order_id}: {amount(payment.amount_cents)} "
        f"by {payment.method}, {payment.status}"
    )


@order.command("cancel")
@click.argument("order_id", type=int)
@pass_shop
def cancel(shop: ShopContext, order_id: int) -> None:
    """Cancel an order before it ships: stock returns, a captured payment is refunded."""
    cancel_order(shop.engine(), order_id)
    click.echo(f"order {order_id} cancelled")


@order.command("ship")
@click.argument("order_id", type=int)
@click.option("--carrier", default="postal", show_default=True, help="Who carries the parcel.")
@click.option("--tracking", help="Tracking number (default: a new unique one).")
@pass_shop
def ship(shop: ShopContext, order_id: int, carrier: str, tracking: str | None) -> None:
    """Ship a paid order (creates its shipment)."""
    ship_order(shop.engine(), order_id, carrier=carrier, tracking_number=tracking)
    click.echo(f"order {order_id} shipped by {carrier}")


@order.command("deliver")
@click.argument("order_id", type=int)
@pass_shop
def deliver(shop: ShopContext, order_id: int) -> None:
    """Mark a shipped order delivered."""
    deliver_order(shop.engine(), order_id)
    click.echo(f"order {order_id} delivered")


@order.command("refund")
@click.argument("order_id", type=int)
@pass_shop
def refund(shop: ShopContext, order_id: int) -> None:
    """Refund a paid, shipped or delivered order (its payments become refunded)."""
    count = refund_order(shop.engine(), order_id)
    click.echo(f"order {order_id} refunded ({count} payment(s))")


@order.command("show")
@click.argument("order_id", type=int)
@pass_shop
def show(shop: ShopContext, order_id: int) -> None:
    """Show an order with its items, payments, shipment and status history."""
    _print_order(get_order(shop.engine(), order_id))


def _print_order(details: OrderView) -> None:
    console = Console(highlight=False)
    console.print(
        f"order {details.order_id}  user {details.user_id}  {details.status}  "
        f"total {amount(details.total_cents)}  placed {details.created_at:%Y-%m-%d %H:%M:%S}"
    )
    items = Table("product", "sku", "name", "qty", "unit price", "line", title="items")
    for item in details.items:
        items.add_row(
            str(item.product_id),
            item.sku,
            item.name,
            str(item.quantity),
            amount(item.unit_price_cents),
            amount(item.line_cents),
        )
    console.print(items)
    paid = Table("payment", "amount", "method", "status", "key", "at", "refunded", title="payments")
    for p in details.payments:
        paid.add_row(
            str(p.payment_id),
            amount(p.amount_cents),
            p.method,
            p.status,
            p.idempotency_key or "",
            f"{p.created_at:%Y-%m-%d %H:%M:%S}",
            "" if p.refunded_at is None else f"{p.refunded_at:%Y-%m-%d %H:%M:%S}",
        )
    console.print(paid)
    shipment = details.shipment
    if shipment is not None:
        at = shipment.delivered_at
        delivered = "not yet" if at is None else f"{at:%Y-%m-%d %H:%M:%S}"
        console.print(
            f"shipment: {shipment.carrier} {shipment.tracking_number}, "
            f"shipped {shipment.shipped_at:%Y-%m-%d %H:%M:%S}, delivered {delivered}"
        )
    history = Table("from", "to", "at", title="status history")
    for change in details.history:
        history.add_row(
            change.from_status or "-", change.to_status, f"{change.changed_at:%Y-%m-%d %H:%M:%S.%f}"
        )
    console.print(history)


@click.group()
def product() -> None:
    """Manage products' stock."""


@product.command("restock")
@click.argument("product_ref", metavar="PRODUCT")
@click.argument("quantity", type=int)
@pass_shop
def restock_command(shop: ShopContext, product_ref: str, quantity: int) -> None:
    """Add QUANTITY units to PRODUCT (an id or a SKU), recorded as a receipt."""
    done = restock_product(shop.engine(), product_ref, quantity)
    click.echo(f"product {done.product_id}: +{quantity}, {done.quantity_on_hand} on hand")


def register(group: click.Group) -> None:
    """Add ``order`` and ``product`` to the root command group."""
    group.add_command(order)
    group.add_command(product)

"""``shopdb staff ...``: the back office's accounts (create, list, disable).

A password is never an argument (it would land in the shell's history and in ``ps``):
it comes from a hidden prompt, or with ``--password-stdin`` as the first line of
standard input, for scripts.
"""

from __future__ import annotations

import sys

import click

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.db.schema import STAFF_ROLES
from shopdb.errors import InvalidInput
from shopdb.services.staff import create_staff, disable_staff, list_staff


@click.group()
def staff() -> None:
    """Manage the dashboard's staff accounts."""


@staff.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True, help="What they may do.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password as one line of standard input."
)
@pass_shop
def create_command(shop: ShopContext, email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account for EMAIL (the password is asked for, hidden)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("no password on standard input")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    staff_id = create_staff(shop.engine(), email, role, password)
    click.echo(f"staff account {staff_id} created: {email.strip().lower()} ({role})")


@staff.command("list")
@pass_shop
def list_command(shop: ShopContext) -> None:
    """List staff accounts: id, email, role, and whether each is active."""
    accounts = list_staff(shop.engine())
    if not accounts:
        click.echo("no staff accounts: create one with 'shopdb staff create EMAIL --role admin'")
        return
    for account in accounts:
        state = "active" if account.is_active else f"disabled {account.disabled_at:%Y-%m-%d}"
        click.echo(f"{account.staff_id}\t{account.email}\t{account.role}\t{state}")


@staff.command("disable")
@click.argument("email")
@pass_shop
def disable_command(shop: ShopContext, email: str) -> None:
    """Disable the account of EMAIL: it can no longer log in (its sessions end)."""
    account = disable_staff(shop.engine(), email)
    click.echo(f"staff account {account.staff_id} disabled: {account.email}")


def register(cli: click.Group) -> None:
    """Add the ``staff`` group to the root command."""
    cli.add_command(staff)

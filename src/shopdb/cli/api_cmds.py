"""``shopdb serve`` (the REST API on uvicorn) and ``shopdb api-key create|list|revoke``."""

from __future__ import annotations

import os
import secrets

import click

from shopdb.access import ROLES
from shopdb.api.config import DEFAULT_FOLD_INTERVAL_S, ENV_FOLD_INTERVAL
from shopdb.cli.base import ShopContext, pass_shop
from shopdb.config import ENV_DATABASE_URL


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes."
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log a line per request (about a tenth of a small request's server time).",
)
@click.option(
    "--fold-interval",
    type=click.FloatRange(0, 86_400),
    default=None,
    metavar="SECONDS",
    help="Fold the rollups' change logs this often in each worker; 0 never. "
    f"[default: {ENV_FOLD_INTERVAL} or {DEFAULT_FOLD_INTERVAL_S:g}]",
)
@pass_shop
def serve(
    shop: ShopContext,
    host: str,
    port: int,
    workers: int,
    access_log: bool,
    fold_interval: float | None,
) -> None:
    """Serve the REST API under /v1 (docs at /docs) on the --db database."""
    import uvicorn

    from shopdb.api.app import create_app
    from shopdb.api.config import ENV_SECRET, load_api_config

    shop.engine()  # a bad URL or a missing database fails here, in one line
    shop.close()
    # the workers read it from the environment, as the rest of their settings
    if fold_interval is not None:
        os.environ[ENV_FOLD_INTERVAL] = f"{fold_interval:g}"
    else:
        os.environ.setdefault(ENV_FOLD_INTERVAL, f"{DEFAULT_FOLD_INTERVAL_S:g}")
    if workers == 1:
        app = create_app(shop.settings, load_api_config(os.environ))
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)
        return
    # each worker builds its own app from the environment: same database, same cursor secret
    url = shop.settings.database_url.render_as_string(hide_password=False)
    os.environ[ENV_DATABASE_URL] = url
    os.environ.setdefault(ENV_SECRET, secrets.token_urlsafe(32))
    uvicorn.run(
        "shopdb.api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )


@click.group("api-key")
def api_key() -> None:
    """Create, list and revoke the API's keys."""


@api_key.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the key may do.")
@click.option("--label", help="Whose key it is, for the list.")
@pass_shop
def create(shop: ShopContext, role: str, label: str | None) -> None:
    """Create a key; it is printed once, alone on the last line, and never stored."""
    from shopdb.services.api_keys import create_api_key

    key, secret = create_api_key(shop.engine(), role, label)
    click.echo(f"created API key {key.api_key_id} ({role}); it is shown only now:")
    click.echo(secret)


@api_key.command("list")
@pass_shop
def list_keys(shop: ShopContext) -> None:
    """List the keys (without their secrets)."""
    from shopdb.services.api_keys import list_api_keys

    keys = list_api_keys(shop.engine())
    click.echo(f"{'id':>4}  {'role':<8}  {'prefix':<13} {'created':<20} {'revoked':<20} label")
    for k in keys:
        revoked = "" if k.revoked_at is None else f"{k.revoked_at:%Y-%m-%d %H:%M:%S}"
        click.echo(
            f"{k.api_key_id:>4}  {k.role:<8}  {k.key_prefix + '…':<13} "
            f"{k.created_at:%Y-%m-%d %H:%M:%S}  {revoked:<20} {k.label or ''}".rstrip()
        )


@api_key.command("revoke")
@click.argument("api_key_id", type=int)
@pass_shop
def revoke(shop: ShopContext, api_key_id: int) -> None:
    """Revoke key ID: a running server refuses it (401) within a second."""
    from shopdb.services.api_keys import revoke_api_key

    key = revoke_api_key(shop.engine(), api_key_id)
    click.echo(f"API key {key.api_key_id} ({key.role}) revoked")


def register(group: click.Group) -> None:
    """Add ``serve`` and ``api-key`` to the root group."""
    group.add_command(serve)
    group.add_command(api_key)

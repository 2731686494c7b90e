"""Create, drop and describe shopdb's own tables; nothing else in a database is touched."""

from __future__ import annotations

from sqlalchemy import Integer, Table, insert, inspect, select, text, update
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateIndex, CreateTable

from shopdb.db.backend import backend_of
from shopdb.db.schema import (
    SCHEMA_VERSION,
    alembic_version,
    api_keys,
    categories,
    metadata,
    staff_accounts,
)
from shopdb.errors import SchemaError

SHOP_TABLES = tuple(metadata.tables)

ACCESS_TABLES = (staff_accounts, api_keys)
"""Who may come in: a reset keeps these rows, as a user who re-generates the shop expects
to log in again with the same account and key. Everything else (the shop's data, the
rollups, idempotency records and action keys, which name the old shop's rows) goes."""


def existing_shop_tables(conn: Connection) -> list[str]:
    """The shopdb tables present in the connected database, in schema order."""
    present = set(inspect(conn).get_table_names())
    return [name for name in SHOP_TABLES if name in present]


def other_tables(conn: Connection) -> list[str]:
    """Tables in the connected database that are not shopdb's, by name."""
    return sorted(set(inspect(conn).get_table_names()) - set(SHOP_TABLES))


def init_schema(engine: Engine) -> None:
    """Create every shopdb table in a database that holds none of them.

    Raises:
        SchemaError: shopdb tables already exist, or the database refused a statement
            (say, an object of another application has a name shopdb needs); nothing
            is changed.

    If creation fails part-way (MariaDB commits each CREATE TABLE on its own), the
    tables this call created are dropped again, so no half-built schema is left.
    """
    with engine.connect() as conn:
        present = existing_shop_tables(conn)
    if present:
        raise SchemaError(
            f"the database already holds shopdb tables ({', '.join(present[:3])}"
            f"{', ...' if len(present) > 3 else ''}); use 'shopdb reset' to start over"
        )
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            conn.execute(insert(alembic_version).values(version_num=SCHEMA_VERSION))
    except BaseException as exc:
        with engine.begin() as conn:
            metadata.drop_all(conn, checkfirst=True)
        if isinstance(exc, DBAPIError):
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise SchemaError(f"could not create the schema, nothing was kept: {first}") from exc
        raise


def drop_schema(engine: Engine) -> None:
    """Drop shopdb's tables (children first); other tables in the database stay.

    One transaction on SQLite and PostgreSQL: a failure leaves every table in place.
    """
    with engine.begin() as conn:
        if backend_of(conn).unlinks_tree_before_drop and "categories" in existing_shop_tables(conn):
            # SQLite's DROP TABLE deletes row by row, and a RESTRICT key from a child
            # category to a parent deleted first would refuse it; unlink the tree first
            conn.execute(update(categories).values(parent_id=None))
        metadata.drop_all(conn, checkfirst=True)


def reset_schema(engine: Engine, *, keep_access: bool = True) -> dict[str, int]:
    """Drop shopdb's tables and create them empty again, keeping ``ACCESS_TABLES``' rows
    (with their ids, so sessions and keys stay valid) unless ``keep_access`` is False.

    Returns how many rows of each access table were kept. The rows are read before the
    drop and written back in one transaction after it: if that fails, the schema is
    empty and the accounts are gone, as after a reset without keeping them.
    """
    kept = _read_access(engine) if keep_access else {}
    drop_schema(engine)
    init_schema(engine)
    with engine.begin() as conn:
        for table in ACCESS_TABLES:
            rows = kept.get(table.name, [])
            if rows:
                conn.execute(insert(table), rows)
                move_id_sequence(conn, table)
    return {name: len(rows) for name, rows in kept.items()}


def _read_access(engine: Engine) -> dict[str, list[dict[str, object]]]:
    """The access tables' rows, for each one present with every column this version has."""
    out: dict[str, list[dict[str, object]]] = {}
    with engine.connect() as conn:
        present = set(existing_shop_tables(conn))
        for table in ACCESS_TABLES:
            if table.name not in present:
                continue
            columns = {c["name"] for c in inspect(conn).get_columns(table.name)}
            if set(table.c.keys()) <= columns:
                out[table.name] = [dict(r) for r in conn.execute(select(table)).mappings()]
    return out


def move_id_sequence(conn: Connection, table: Table) -> None:
    """PostgreSQL: move the table's id sequence past its largest id (after rows were
    written with explicit ids); nothing on backends that take the next id from the data."""
    keys = list(table.primary_key.columns)
    if not backend_of(conn).resets_sequences or len(keys) != 1:
        return
    if not isinstance(keys[0].type, Integer):
        return
    name, key = table.name, keys[0].name
    conn.execute(
        text(
            f"select setval(pg_get_serial_sequence('{name}', '{key}'), "
            f"coalesce((select max({key}) from {name}), 0) + 1, false)"
        )
    )


def schema_version(conn: Connection) -> str | None:
    """The schema revision recorded in the database, or None when it has none."""
    if "alembic_version" not in existing_shop_tables(conn):
        return None
    return conn.execute(select(alembic_version.c.version_num)).scalar_one_or_none()


def require_schema(conn: Connection) -> None:
    """Raise ``SchemaError`` unless the database holds the complete shopdb schema."""
    present = existing_shop_tables(conn)
    if not present:
        raise SchemaError("the database holds no shopdb schema: run 'shopdb init' first")
    missing = [name for name in SHOP_TABLES if name not in present]
    if missing:
        raise SchemaError(f"the shopdb schema is incomplete (missing {', '.join(missing)})")


def ddl(dialect: Dialect) -> str:
    """The DDL that creates the schema on ``dialect``, as one SQL script.

    It ends by recording the schema version, as ``init_schema`` does.
    """
    statements: list[str] = []
    for table in metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    version = insert(alembic_version).values(version_num=SCHEMA_VERSION)
    statements.append(str(version.compile(dialect=dialect, compile_kwargs={"literal_binds": True})))
    return ";\n\n".join(statements) + ";\n"

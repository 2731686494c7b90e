"""Staff accounts: the service (argon2id hashes, unique emails, disabling) and the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.cli import cli
from shopdb.db.schema import staff_accounts
from shopdb.errors import Duplicate, InvalidInput, NotFound
from shopdb.services.staff import authenticate, create_staff, disable_staff, list_staff

PASSWORD = "correct-horse-battery"


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(staff_accounts)).scalar_one())


def test_an_account_keeps_only_an_argon2id_hash(engine: Engine) -> None:
    staff_id = create_staff(engine, " Ann@Example.com ", "clerk", PASSWORD)
    with engine.connect() as conn:
        row = conn.execute(select(staff_accounts)).one()
    assert row.staff_id == staff_id and row.email == "ann@example.com"
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    found = authenticate(engine, "ANN@example.com", PASSWORD)
    assert found is not None and found.role == "clerk"
    assert authenticate(engine, "ann@example.com", "wrong password!") is None
    assert authenticate(engine, "bob@example.com", PASSWORD) is None


@pytest.mark.parametrize(
    ("email", "role", "password", "error"),
    [
        ("not-an-email", "clerk", PASSWORD, InvalidInput),
        ("a@example.com", "owner", PASSWORD, InvalidInput),
        ("a@example.com", "clerk", "short", InvalidInput),
    ],
)
def test_bad_accounts_write_nothing(
    engine: Engine, email: str, role: str, password: str, error: type
) -> None:
    with pytest.raises(error):
        create_staff(engine, email, role, password)
    assert _count(engine) == 0


def test_an_email_has_one_account(engine: Engine) -> None:
    create_staff(engine, "ann@example.com", "clerk", PASSWORD)
    with pytest.raises(Duplicate, match="already exists"):
        create_staff(engine, "ANN@example.com", "admin", PASSWORD)
    assert _count(engine) == 1


def test_a_disabled_account_cannot_log_in(engine: Engine) -> None:
    create_staff(engine, "ann@example.com", "analyst", PASSWORD)
    account = disable_staff(engine, "ann@example.com")
    assert not account.is_active
    assert authenticate(engine, "ann@example.com", PASSWORD) is None
    assert [a.is_active for a in list_staff(engine)] == [False]
    with pytest.raises(NotFound):
        disable_staff(engine, "bob@example.com")


def test_the_cli_creates_lists_and_disables(engine: Engine, db_url_text: str) -> None:
    runner = CliRunner()
    made = runner.invoke(
        cli,
        [
            "--db",
            db_url_text,
            "staff",
            "create",
            "ann@example.com",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert made.exit_code == 0, made.output
    assert made.output == "staff account 1 created: ann@example.com (admin)\n"
    listed = runner.invoke(cli, ["--db", db_url_text, "staff", "list"])
    assert listed.output == "1\tann@example.com\tadmin\tactive\n"
    gone = runner.invoke(cli, ["--db", db_url_text, "staff", "disable", "ann@example.com"])
    assert gone.output == "staff account 1 disabled: ann@example.com\n"
    again = runner.invoke(
        cli,
        [
            "--db",
            db_url_text,
            "staff",
            "create",
            "ann@example.com",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert again.exit_code == 1 and "already exists" in again.output
    empty = runner.invoke(
        cli,
        [
            "--db",
            db_url_text,
            "staff",
            "create",
            "bob@example.com",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        input="\n",
    )
    assert empty.exit_code == 1 and "no password" in empty.output
    assert _count(engine) == 1


def test_the_cli_prompts_for_the_password_hidden(engine: Engine, db_url_text: str) -> None:
    made = CliRunner().invoke(
        cli,
        ["--db", db_url_text, "staff", "create", "ann@example.com", "--role", "clerk"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert made.exit_code == 0, made.output
    assert PASSWORD not in made.output
    assert authenticate(engine, "ann@example.com", PASSWORD) is not None

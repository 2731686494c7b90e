"""The ``shopdb`` command line: a thin layer over the services and queries.

Each command group lives in its own module and registers itself on ``cli`` here.
"""

from __future__ import annotations

from shopdb.cli import (
    api_cmds,
    audit_cmds,
    bench_cmds,
    data_cmds,
    lake_cmds,
    order_cmds,
    query_cmds,
    realism_cmds,
    rollup_cmds,
    schema_cmds,
    staff_cmds,
)
from shopdb.cli.base import cli, main

schema_cmds.register(cli)
data_cmds.register(cli)
audit_cmds.register(cli)
query_cmds.register(cli)
order_cmds.register(cli)
bench_cmds.register(cli)
realism_cmds.register(cli)
rollup_cmds.register(cli)
lake_cmds.register(cli)
api_cmds.register(cli)
staff_cmds.register(cli)

__all__ = ["cli", "main"]

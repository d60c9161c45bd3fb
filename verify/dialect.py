"""Which SQL database a connection talks to, for the few queries written per database.

The store hands every module one connection API; a module whose SQL cannot be common to
both (full-text search) asks here which one it has. No imports: anything may use it.
"""

from __future__ import annotations

from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def of(conn: Any) -> str:
    """SQLITE for a sqlite3 connection, POSTGRESQL for the store's PostgreSQL adapter."""
    return str(getattr(conn, "dialect", SQLITE))


def on_server(conn: Any) -> bool:
    return of(conn) == POSTGRESQL

"""What differs between the databases a casebook can live in, behind one small interface.

The store and every module that reads a casebook speak one SQL: the common subset of SQLite
and PostgreSQL, `?` placeholders, rows as tuples. A backend opens the connection (on
PostgreSQL an adapter that takes that SQL), starts and ends write transactions the way its
database serialises writers, tells when someone else changed the casebook, and copies it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verify.store.core import StoreBase

DatabaseError = sqlite3.DatabaseError
"""The one error type a database failure raises on every backend: the PostgreSQL adapter
raises subclasses of it, so code that guards a read catches the same thing on both."""

OperationalError = sqlite3.OperationalError
IntegrityError = sqlite3.IntegrityError


class Backend:
    """One open casebook's database connection and the few things done differently on it."""

    kind = ""
    """"sqlite" or "postgresql"."""
    conn: sqlite3.Connection
    """The connection every query goes through (on PostgreSQL, an adapter with the same API)."""
    name = ""
    """How messages name the casebook (a path, or an address without its password)."""
    path: Path
    location: Path | str
    """What opens the casebook again: its path, or its full address."""
    """A file path: the casebook's own, or on a server a local name for files made from it."""

    count_claims_sql = "SELECT count(*) FROM claims"
    """How the number of claims is read (SQLite's count(*) walks the smallest index)."""

    fresh = False
    """Whether the casebook is being created by this open."""
    readonly = False

    def opened(self) -> None:
        """The casebook is open and at its final schema."""

    def open_failed(self, exc: DatabaseError) -> str:
        """The one line saying why opening failed."""
        return f"{self.name} is damaged or not a casebook ({exc})"

    def begin_write(self) -> None:
        """Start a write transaction; only one writer at a time holds one."""
        raise NotImplementedError

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return bool(self.conn.in_transaction)

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a read that may be large, a batch at a time (an SQLite cursor
        already steps through its rows as they are asked for)."""
        yield from self.conn.execute(sql, params)

    def replaced(self) -> bool:
        """Whether the casebook was swapped for another since it was opened."""
        return False

    def data_version(self) -> int:
        """A number that changes whenever another connection commits a change."""
        raise NotImplementedError

    def schema_version(self) -> int:
        raise NotImplementedError

    def migrate(
        self,
        store: StoreBase,
        target: int,
        *,
        fresh: bool,
        keep_backup: bool,
        notice: Callable[[str], None] | None,
    ) -> None:
        raise NotImplementedError

    def backup(self, store: StoreBase, dest: Path) -> Path:
        """Write a consistent, portable copy of the casebook to `dest` (an SQLite file)."""
        raise NotImplementedError

    def why(self, exc: BaseException) -> str:
        """One line saying why a database operation failed."""
        return str(exc)

    def close(self) -> None:
        self.conn.close()

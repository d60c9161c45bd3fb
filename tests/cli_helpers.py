"""Helpers shared by the tests: casebook digests and tampering behind verify's back."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import Any


def _connect(path: Path | str) -> Any:
    """A plain connection to the casebook, file or PostgreSQL database, bypassing verify."""
    if str(path).startswith("postgresql://"):
        import psycopg

        return psycopg.connect(str(path), autocommit=True)
    return sqlite3.connect(path)


def digest(path: Path) -> str:
    """A casebook's logical content, so a refused command can be shown to change nothing."""
    conn = _connect(path)
    rows = [
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("claims", "sources", "documents", "events", "meta")
    ]
    conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def tamper(path: Path, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Change a casebook with plain SQL (`?` placeholders), the way damage or another tool
    would."""
    conn = _connect(path)
    if not isinstance(conn, sqlite3.Connection):
        sql = re.sub(r"X'([0-9A-Fa-f]*)'", r"'\\x\1'::bytea", sql)
        sql = sql.replace("?", "%s") if params else sql
    conn.execute(sql, params)
    conn.commit()
    conn.close()

"""Helpers shared by the tests: casebook digests and tampering behind verify's back."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def digest(path: Path) -> str:
    """A casebook's logical content, so a refused command can be shown to change nothing."""
    conn = sqlite3.connect(path)
    rows = [
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("claims", "sources", "documents", "events", "meta")
    ]
    conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def tamper(path: Path, sql: str) -> None:
    """Change a casebook with plain SQLite, the way damage or another tool would."""
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()

"""The casebook store: one interface, two backends (an SQLite file, a PostgreSQL database).

`Store.open(path_or_address)` picks the backend; the code that uses a casebook never knows
which it has. Rooms: `core` (opening, transactions, events, settings), `claims`, `records`
(sources, documents), `history` (undo, redo), `rows` (row <-> model), `backend` (what
differs), `sqlite` and `postgres` (the backends), `pgschema` (the PostgreSQL schema).
"""

from verify.store.backend import DatabaseError
from verify.store.history import Store
from verify.store.rows import (
    SUMMARY_COLUMNS,
    Clock,
    claim_columns,
    default_actor,
    dump_json,
    search_text,
)

__all__ = [
    "SUMMARY_COLUMNS",
    "Clock",
    "DatabaseError",
    "Store",
    "claim_columns",
    "default_actor",
    "dump_json",
    "search_text",
]

"""Full-text search over archived documents, claims, accounts and notes."""

from __future__ import annotations

import argparse

from verify.cli.common import Add, open_store, out
from verify.textsafe import json_line


def cmd_search(args: argparse.Namespace) -> int:
    from verify import search

    with open_store(args) as store:
        hits = search.search(store.conn, args.query, limit=args.limit)
    for hit in hits:
        if args.json:
            out(json_line(hit.as_json()))
        else:
            where = f"{hit.start}-{hit.end}" if hit.start is not None else "-"
            doc = hit.document[:12] if hit.document else (hit.claim_id or "-")
            out(f"{hit.kind}\t{hit.id}\t{doc}\t{where}\t{hit.snippet}")
    return 0


def register(add: Add) -> None:
    p = add("search", cmd_search, "full-text search: archived documents, claims, accounts, notes")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50, help="at most this many hits (default 50)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

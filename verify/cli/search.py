"""Full-text search over archived documents, claims, accounts and notes."""

from __future__ import annotations

import argparse

from verify import search
from verify.cli.common import Add, open_store, out_rows


def cmd_search(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        hits = search.search(store.conn, args.query, limit=args.limit)
    out_rows(hits, args.json, lambda hit: hit.as_json(), _hit_line)
    return 0


def _hit_line(hit: search.Hit) -> str:
    where = f"{hit.start}-{hit.end}" if hit.start is not None else "-"
    doc = hit.document[:12] if hit.document else (hit.claim_id or "-")
    return f"{hit.kind}\t{hit.id}\t{doc}\t{where}\t{hit.snippet}"


def register(add: Add) -> None:
    p = add("search", cmd_search, "full-text search: archived documents, claims, accounts, notes")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50, help="at most this many hits (default 50)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

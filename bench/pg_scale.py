"""A casebook on PostgreSQL at 1,000,000 claims against 1,000: list's first page, show, verdict.

    python bench/pg_scale.py [N]

Starts a throwaway PostgreSQL cluster (as tests/pgserver.py does), builds a 1,000-claim
casebook through verify's own import path in one database and the same 1,000 plus N - 1,000
copies in another. The copies are made in SQL (claim rows with their own ids, texts and
bodies; without "already checked?" postings or full-text rows, which list, show and verdict
do not read), because importing a million claims one by one takes hours. Each operation is
timed in-process from opening the casebook, as a command does it, median of 9 taken in
turns with the other casebook: first page = open + the first 50 summary rows in list order;
show = open + the claim, its sources and documents; verdict = open + one verdict written
(a new revision and history entry each time).
Budget: each at most 1.5x its time at 1,000 claims. The claim count the TUI shows beside
the first page is printed too, outside the budget: on PostgreSQL it is kept by triggers
(the copies made in SQL are counted by them too), so it should not grow with the casebook.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import build
from tests import pgserver
from verify.models import Verdict
from verify.store import Store

BASE = 1_000
CLAIM = "c-bench-500"
REPEAT = 9


def grow(url: str, n: int) -> None:
    """Copies of the base claims up to n, each with its own id, text and body."""
    with Store.open(url) as store:
        conn = store.conn
        step = 100_000
        for lo in range(BASE, n, step):
            hi = min(n, lo + step)
            conn.execute(
                "INSERT INTO claims (id, ref, text, status, verdict, accounts, evidence, "
                "revision, created, updated, body, tags, search, digest) "
                "SELECT 'c-bench-' || g, g::text, c.text || ' [' || g || ']', c.status, "
                "c.verdict, c.accounts, c.evidence, c.revision, c.created, c.updated, "
                "replace(c.body, '\"id\": \"c-bench-' || (g % 1000) || '\"', "
                "'\"id\": \"c-bench-' || g || '\"'), c.tags, c.search, c.digest "
                "FROM generate_series(?::bigint, ?::bigint) AS g "
                "JOIN claims c ON c.id = 'c-bench-' || (g % 1000)",
                (lo, hi - 1),
            )
            print(f"  {hi:>9} claims", file=sys.stderr, flush=True)
        conn.execute("VACUUM ANALYZE")  # what autovacuum does on a server after a bulk load


def count(url: str) -> None:
    with Store.open(url) as store:
        store.count_claims()


def first_page(url: str) -> None:
    with Store.open(url) as store:
        assert len(store.summaries(offset=0, limit=50)) == 50


def show(url: str) -> None:
    with Store.open(url) as store:
        claim = store.get_claim(CLAIM)
        store.sources_for(claim)
        store.documents_for(claim)


def verdict(url: str) -> None:
    label = "false"
    with Store.open(url, actor="bench") as store:
        at = store.clock()
        store.update_claim(
            CLAIM,
            lambda c: c.model_copy(update={"verdict": Verdict(label=label, at=at)}),
            "claim.verdict",
        )


def main() -> None:
    big = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    server = pgserver.start()
    try:
        urls = {}
        for n in (BASE, big):
            url = urls[n] = server.new_database()
            t0 = time.perf_counter()
            build(url, BASE)  # type: ignore[arg-type]
            if n > BASE:
                grow(url, n)
            print(f"built {n} claims in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        # The two casebooks are timed in turns, so both see the same load on a busy machine.
        ops = {
            "first page": first_page,
            "show": show,
            "verdict": verdict,
            "open + count": count,
        }
        times: dict[tuple[str, int], list[float]] = {}
        for _ in range(REPEAT):
            for name, op in ops.items():
                for n, url in urls.items():
                    t0 = time.perf_counter()
                    op(url)
                    times.setdefault((name, n), []).append(time.perf_counter() - t0)
        for n in urls:
            line = ", ".join(
                f"{name} {statistics.median(times[name, n]) * 1000:.1f} ms" for name in ops
            )
            print(f"{n:>9} claims: {line}")
        ratios = {
            name: statistics.median(times[name, big]) / statistics.median(times[name, BASE])
            for name in ops
        }
        print(
            f"ratio {big} / {BASE}: "
            + ", ".join(f"{name} {r:.2f}" for name, r in ratios.items())
            + f" (budget 1.5 for first page, show, verdict); load {os.getloadavg()[0]:.1f}"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()

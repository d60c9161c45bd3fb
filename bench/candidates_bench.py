"""BM25 candidates of "already checked?" at N claims: MaxScore against reading every posting.

    python bench/candidates_bench.py [N] [--queries Q] [--book PATH]
Takes Q claims of a casebook of N claims (built as bench/casebooks.py builds them, or --book)
as queries, each excluding itself as the TUI's look-up does, and times the candidate search
both ways in the same process, alternating query by query so that the machine's load falls on
both alike. Prints the median and 95th percentile of each, their ratio, the postings each reads
and whether every answer is the same.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import build
from verify.match.ranking import CANDIDATES, _bm25_candidates
from verify.match.text import terms
from verify.store import Store


class Counting:
    """A connection that counts the posting rows a search reads."""

    def __init__(self, conn: object) -> None:
        self.conn = conn
        self.rows = 0

    def execute(self, sql: str, params: object = ()) -> object:
        cursor = self.conn.execute(sql, params)  # type: ignore[attr-defined]
        if "seq FROM match_terms" not in sql:
            return cursor
        rows = cursor.fetchall()
        self.rows += len(rows)
        return _Rows(rows)


class _Rows:
    def __init__(self, rows: list[object]) -> None:
        self.rows = rows

    def fetchall(self) -> list[object]:
        return self.rows


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--book", type=Path, help="an existing casebook instead of building one")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = opts.book or build(Path(tmp) / "bench.casebook", opts.n)
        with Store.open(book, create=False) as store:
            conn = store.conn
            rows = conn.execute("SELECT id, text FROM claims").fetchall()
            queries = random.Random(7).sample(rows, min(opts.queries, len(rows)))
            times: dict[bool, list[float]] = {True: [], False: []}
            read = {True: 0, False: 0}
            same = 0
            for claim_id, text in queries:
                words = terms(text)
                answers = {}
                for prune in (True, False):
                    t0 = time.perf_counter()
                    answers[prune] = _bm25_candidates(conn, words, CANDIDATES, claim_id, prune)
                    times[prune].append(time.perf_counter() - t0)
                    counting = Counting(conn)
                    _bm25_candidates(counting, words, CANDIDATES, claim_id, prune)  # type: ignore[arg-type]
                    read[prune] += counting.rows
                same += answers[True] == answers[False]
            claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    q = len(queries)
    for prune, name in ((True, "MaxScore"), (False, "every posting")):
        ms = [1000 * t for t in times[prune]]
        print(
            f"{name:>14}: median {statistics.median(ms):.1f} ms, p95 {p95(ms):.1f} ms, "
            f"{read[prune] / q:,.0f} postings a query"
        )
    ratio = statistics.median(times[True]) / statistics.median(times[False])
    print(f"{claims:,} claims, {q} queries: median ratio {ratio:.2f}; same answer {same}/{q}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

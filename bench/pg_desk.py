"""A desk on one PostgreSQL casebook: 16 reviewers x 25 verdicts at once, and how soon an
open casebook learns of a colleague's change.

    python bench/pg_desk.py [REVIEWERS] [VERDICTS]

Each reviewer is its own process with its own connection, reading a claim (one of 5, so they
collide) and writing a verdict on the revision it read. Afterwards every acknowledged write
must be in the casebook (revisions and history), refused ones must have been refused as stale,
nothing else may fail, and `verify check` must pass. Then one process commits while another
polls `data_version()` (what the TUI does): the delay until it sees the change, median and
worst of 20. Starts a throwaway cluster as tests/pgserver.py does.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import pgserver
from verify import integrity
from verify.errors import StaleWriteError
from verify.models import Claim, Verdict
from verify.store import Store

CLAIMS = [f"c-desk-{i}" for i in range(5)]


def reviewer(url: str, n: int, verdicts: int, out: multiprocessing.Queue) -> None:
    acked: dict[str, int] = {}
    stale = errors = 0
    with Store.open(url, actor=f"reviewer-{n}") as store:
        for i in range(verdicts):
            claim_id = CLAIMS[(n + i) % len(CLAIMS)]
            try:
                claim = store.get_claim(claim_id)
                verdict = Verdict(label="false", rationale=f"{n}/{i}", at=store.clock())
                store.save_claim(claim.model_copy(update={"verdict": verdict}), "claim.verdict")
                acked[claim_id] = acked.get(claim_id, 0) + 1
            except StaleWriteError:
                stale += 1
            except Exception as exc:
                errors += 1
                print(f"reviewer {n}: {type(exc).__name__}: {exc}", file=sys.stderr)
    out.put((acked, stale, errors))


def desk(url: str, reviewers: int, verdicts: int) -> None:
    with Store.open(url) as store:
        now = store.clock()
        for cid in CLAIMS:
            store.add_claim(Claim(id=cid, text=f"Claim {cid}", created=now, updated=now))
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=reviewer, args=(url, n, verdicts, queue))
        for n in range(reviewers)
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    took = time.perf_counter() - t0
    acked: dict[str, int] = {}
    for mine, _, _ in results:
        for cid, k in mine.items():
            acked[cid] = acked.get(cid, 0) + k
    stale = sum(r[1] for r in results)
    errors = sum(r[2] for r in results)
    lost = 0
    with Store.open(url) as store:
        for cid in CLAIMS:
            kept = len(store.events(f"claim:{cid}")) - 1
            revision = store.get_claim(cid).revision - 1
            lost += max(0, acked.get(cid, 0) - min(kept, revision))
        damage = [f for f in integrity.check(store) if f.severity == "damage"]
    total = reviewers * verdicts
    print(
        f"{reviewers} reviewers x {verdicts} verdicts in {took:.1f} s: "
        f"{sum(acked.values())} saved, {stale} refused as stale, {lost} lost, "
        f"{errors} errors, check: {damage or 'clean'}"
    )
    assert sum(acked.values()) + stale + errors == total


def _tagged(claim: Claim, tag: str) -> Claim:
    return claim.model_copy(update={"tags": [tag]})


def notification(url: str, rounds: int = 20) -> None:
    delays = []
    with Store.open(url) as watcher, Store.open(url) as writer:
        for i in range(rounds):
            seen = watcher.data_version()
            writer.update_claim(CLAIMS[0], partial(_tagged, tag=f"t{i}"), "tag")
            committed = time.perf_counter()
            while watcher.data_version() == seen:
                time.sleep(0.005)
            delays.append(time.perf_counter() - committed)
    print(
        f"change seen by another open casebook after commit: median "
        f"{statistics.median(delays) * 1000:.1f} ms, worst {max(delays) * 1000:.1f} ms "
        f"(polling every 5 ms)"
    )


def main() -> None:
    reviewers = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    verdicts = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    server = pgserver.start()
    try:
        url = server.new_database()
        desk(url, reviewers, verdicts)
        notification(url)
        print(f"load {os.getloadavg()[0]:.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

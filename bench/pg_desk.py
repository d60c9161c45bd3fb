"""How soon an open PostgreSQL casebook learns of a colleague's change.

    python bench/pg_desk.py [ROUNDS]

One connection commits while another polls `data_version()` (what the TUI does, answered from
the notifications already delivered): the delay until it sees the change, median and worst.
Starts a throwaway cluster as tests/pgserver.py does. The desk of concurrent reviewers is
bench/desk_bench.py (`--postgresql` for this backend).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import pgserver
from verify.models import Claim
from verify.store import Store

CLAIM = "c-desk-0"


def _tagged(claim: Claim, tag: str) -> Claim:
    return claim.model_copy(update={"tags": [tag]})


def notification(url: str, rounds: int = 20) -> None:
    delays = []
    with Store.open(url) as watcher, Store.open(url) as writer:
        for i in range(rounds):
            seen = watcher.data_version()
            writer.update_claim(CLAIM, partial(_tagged, tag=f"t{i}"), "tag")
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
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    server = pgserver.start()
    try:
        url = server.new_database()
        with Store.open(url) as store:
            now = store.clock()
            store.add_claim(Claim(id=CLAIM, text="A claim", created=now, updated=now))
        notification(url, rounds)
        print(f"load {os.getloadavg()[0]:.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

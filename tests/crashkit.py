"""Kill writers with SIGKILL mid-write and check that every acknowledged write survived."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WRITER = r"""
import sys
from verify.ids import stable_id
from verify.models import Claim
from verify.store import Store

store = Store.open(sys.argv[1])
i = int(sys.argv[2])
while True:
    now = store.clock()
    claim = Claim(id=stable_id("c", str(i)), text=f"claim {i}", created=now, updated=now)
    store.add_claim(claim)
    store.update_claim(claim.id, lambda c: c.model_copy(update={"tags": [f"t{i}"]}), "edit")
    print(i, flush=True)  # acknowledged: both transactions have returned
    i += 1
"""


def run_and_kill(path: Path, start: int, rng: random.Random) -> list[int]:
    """Start a writer, kill it at a random moment, return the writes it acknowledged."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acked: list[int] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            acked.append(int(line))

    reader = threading.Thread(target=read)
    reader.start()
    # Ready when it has acknowledged a first write; only then does the random kill time start,
    # however long the start took on a busy machine.
    deadline = time.monotonic() + 120
    while not acked and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.3))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join()
    return acked


def verify_acked(path: Path, acked: list[int]) -> list[str]:
    """Problems found: missing acknowledged writes, or a failing integrity check."""
    from verify.ids import stable_id
    from verify.integrity import check
    from verify.store import Store

    problems = []
    with Store.open(path, create=False) as store:
        for i in acked:
            try:
                claim = store.get_claim(stable_id("c", str(i)))
            except Exception as exc:
                problems.append(f"write {i} lost: {exc}")
                continue
            if claim.tags != [f"t{i}"]:
                problems.append(f"write {i} half-applied")
        problems += [f"{f.where}: {f.message}" for f in check(store) if f.severity == "damage"]
    return problems

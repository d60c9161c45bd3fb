"""Ingest beside busy processes, against ingest alone: how well encoding shares the CPU.

    python bench/busy_ingest.py [ROUNDS]
Runs `verify ingest` of one text into a fresh casebook, alone and beside four processes that
keep a core busy each, ROUNDS times each (default 3), interleaved, and prints the ratio of the
median wall times. Target: at most 3.5 (a single-threaded program beside four busy processes
on two cores is about 2.5 times slower; a maths library whose threads spin against the busy
processes was 7.6 times slower). The text is the seed article from ../shared/seed when it is
there, else the committed test fixture.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "ukraine-live-blog-2024-01-03.txt"
FIXTURE = REPO / "tests" / "fixtures" / "river-port-blog.txt"
BUSY = 4


def _spin() -> None:
    while True:
        pass


def ingest_seconds(text: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "VERIFY_CASEBOOK": str(Path(folder) / "bench.casebook")}
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "verify", "ingest", str(text)],
            env=env,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - t0


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    text = SEED if SEED.exists() else FIXTURE
    ingest_seconds(text)  # warm the file cache
    idle: list[float] = []
    busy: list[float] = []
    for _ in range(rounds):
        idle.append(ingest_seconds(text))
        spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(BUSY)]
        for p in spinners:
            p.start()
        try:
            time.sleep(1)  # let the load average see them
            busy.append(ingest_seconds(text))
        finally:
            for p in spinners:
                p.terminate()
                p.join()
        time.sleep(1)
    ratio = statistics.median(busy) / statistics.median(idle)
    print(f"text: {text.name}, {os.cpu_count()} cores, {BUSY} busy processes, {rounds} rounds")
    print(f"ingest alone: median {statistics.median(idle):.2f} s  {[round(t, 2) for t in idle]}")
    print(f"ingest busy:  median {statistics.median(busy):.2f} s  {[round(t, 2) for t in busy]}")
    print(f"busy/idle ratio: {ratio:.2f} (target <= 3.5)")


if __name__ == "__main__":
    main()

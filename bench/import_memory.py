"""Peak memory of a JSON-lines import at n and 4n claims: it should not grow with the file.

    python bench/import_memory.py [N] [--only] [--against REF]
Writes N and 4N claims (default 10,000; with --only, N alone) as JSON lines, imports each
into a fresh casebook in its own process, and prints each process's peak RSS (from wait4)
and their ratio; 1.0 is flat. With --against, git revision REF's tree imports the same files
in the same run, for today's figure beside the new one. Budget: 500 MB at 1,000,000 claims.
The sentence encoder is replaced by a stand-in that returns
fixed unit vectors, so the figure is the import's own memory (streaming, batches, index) and
the run takes minutes instead of hours; the encoder's memory does not depend on the file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.startup_bench import tree_of  # noqa: E402

CHILD = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]
sys.path.insert(0, sys.argv[3])
import numpy as np
from verify import match
from verify.match import vectors as match_vectors
from verify.importers import import_file
from verify.store import Store

def stand_in(texts):
    rng = np.random.default_rng(len(texts))
    v = rng.standard_normal((len(texts), 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)

match_vectors._encode = stand_in
with Store.open(sys.argv[1]) as store:
    print(import_file(store, sys.argv[2]))
"""


def write_claims(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            record = {
                "id": f"bench-{i}",
                "text": f"Officials said that {i} people were moved from district {i % 97} "
                f"after the flood, a figure others dispute ({i}).",
                "title": f"Fact check {i}",
                "url": f"https://factcheck.example.org/{i}",
                "verdict": "false" if i % 3 else "true",
            }
            fh.write(json.dumps(record) + "\n")


def peak_rss_mb(src: Path, book: Path, tree: Path) -> float:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(book), str(src), str(tree)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"import of {src} failed ({child.returncode})")
    return usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--only", action="store_true", help="N claims only, not N and 4N")
    parser.add_argument("--against", metavar="REF")
    opts = parser.parse_args()
    sizes = [opts.n] if opts.only else [opts.n, 4 * opts.n]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {"now": REPO}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, folder / "against")
        peaks: dict[str, list[float]] = {name: [] for name in trees}
        for n in sizes:
            src = folder / f"claims-{n}.jsonl"
            write_claims(src, n)
            for name, tree in trees.items():
                t0 = time.perf_counter()
                peak = peak_rss_mb(src, folder / f"{name}-{n}.casebook", tree)
                peaks[name].append(peak)
                print(
                    f"{name:>8}: peak RSS importing {n:,} claims: {peak:.0f} MB "
                    f"({time.perf_counter() - t0:.0f} s)",
                    flush=True,
                )
            src.unlink()
    for name, got in peaks.items():
        if len(got) == 2:
            print(f"{name:>8}: ratio 4n/n: {got[1] / got[0]:.2f} (flat is 1.0)")


if __name__ == "__main__":
    main()

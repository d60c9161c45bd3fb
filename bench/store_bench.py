"""`verify show` and `verify verdict` at 100,000 claims against 100 claims (whole process).

    python bench/store_bench.py [N]
Budget: each at most 1.5x its time on the 100-claim casebook (median of 5 runs each).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import median_seconds
from bench.casebooks import build

VERIFY = str(Path(sys.executable).parent / "verify")


def run(*args: str) -> None:
    subprocess.run(
        [VERIFY, *args],
        check=True,
        capture_output=True,
        env={"VERIFY_ACTOR": "bench", "PATH": "/usr/bin:/bin"},
    )


def main() -> None:
    big = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for n in (100, big):
            path = build(Path(tmp) / f"b{n}.casebook", n)
            claim = "c-bench-50"
            show = median_seconds(lambda p=path, c=claim: run("show", c, "--casebook", str(p)))
            labels = iter(["false", "true"] * 10)
            verdict = median_seconds(
                lambda p=path, c=claim, lab=labels: run(
                    "verdict", c, next(lab), "--yes", "--casebook", str(p)
                )
            )
            results[n] = (show, verdict)
            print(f"{n:>7} claims: show {show * 1000:6.0f} ms, verdict {verdict * 1000:6.0f} ms")
    (s0, v0), (s1, v1) = results[100], results[big]
    print(f"ratio {big} / 100: show {s1 / s0:.2f}, verdict {v1 / v0:.2f} (budget 1.5)")


if __name__ == "__main__":
    main()

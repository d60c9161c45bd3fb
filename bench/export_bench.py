"""Markdown export grows linearly: time at 100,000 claims / time at 10,000 claims.

    python bench/export_bench.py
Budget: the ratio is at most 11 (linear would be 10).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import build
from verify.report import markdown
from verify.store import Store


def export_seconds(path: Path) -> tuple[float, int]:
    with Store.open(path) as store:
        t0 = time.perf_counter()
        size = sum(len(chunk) for chunk in markdown.casebook_chunks(store))
        return time.perf_counter() - t0, size


def main() -> None:
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10_000, 100_000):
            path = build(Path(tmp) / f"e{n}.casebook", n)
            seconds, size = export_seconds(path)
            times[n] = seconds
            print(f"{n:>7} claims: {seconds:6.2f} s, {size / 1e6:6.1f} MB of markdown")
    print(f"ratio 100,000 / 10,000: {times[100_000] / times[10_000]:.2f} (budget 11)")


if __name__ == "__main__":
    main()

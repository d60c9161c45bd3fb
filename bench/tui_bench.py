"""The TUI at 100,000 claims against 100: first paint, a filter keystroke, resident memory.

    python bench/tui_bench.py [N]
Budgets: first paint at N at most 2x the first paint at 100; a filter keystroke at N within
one frame (median <= 50 ms); resident memory with N claims open at most 2x that with 100.
Each size runs in its own process so memory is measured cleanly.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def current_rss_kb() -> float:
    # Not ru_maxrss: Linux carries it across execve, so a child would report its parent's peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return float(line.split()[1])
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


async def measure(path: Path, state: Path) -> dict[str, float]:
    from textual.widgets import Input

    from verify.ui.app import make_app

    t0 = time.perf_counter()
    app = make_app(path, state, watch_interval=0, keymap_path=state.with_suffix(".keys"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        paint = time.perf_counter() - t0
        rss_kb = current_rss_kb()
        await pilot.press("slash")
        await pilot.pause()
        # The work one keystroke costs the app: the filter handler (rank, re-page the list)
        # plus rendering every visible row of the list, for each prefix of a typed query.
        # Pilot's round trip for a key with no work behind it is reported beside it: it is
        # the test driver's own waiting, not the app's.
        claims = app.claim_list
        handler = app._filter_changed
        work: list[float] = []

        def timed(event: object) -> None:
            k0 = time.perf_counter()
            handler(event)  # type: ignore[arg-type]
            for y in range(claims.size.height):
                claims.render_line(y)
            work.append(time.perf_counter() - k0)

        query = ""
        for ch in "obama guantanamo":
            query += ch
            with app.filter_input.prevent(Input.Changed):
                app.filter_input.value = query
            timed(Input.Changed(app.filter_input, query))
        rss_filtered_kb = current_rss_kb()
        trips = []
        for _ in range(10):
            k0 = time.perf_counter()
            await pilot.press("end")  # a key with no work behind it: the driver's overhead
            await pilot.pause()
            trips.append(time.perf_counter() - k0)
    return {
        "paint_s": paint,
        "rss_kb": rss_kb,
        "keystroke_ms": 1000 * statistics.median(work),
        "keystroke_max_ms": 1000 * max(work),
        "pilot_ms": 1000 * statistics.median(trips),
        "rss_filtered_kb": rss_filtered_kb,
    }


def child(path: str, state: str) -> None:
    print(json.dumps(asyncio.run(measure(Path(path), Path(state)))))


def main() -> None:
    from bench.casebooks import build

    big = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (100, big):
            path = build(Path(tmp) / f"t{n}.casebook", n)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path), str(Path(tmp) / f"state{n}.json")],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[n] = json.loads(out.strip().splitlines()[-1])
            r = results[n]
            print(
                f"{n:>7} claims: first paint {r['paint_s'] * 1000:6.0f} ms, filter keystroke "
                f"median {r['keystroke_ms']:5.1f} ms (max {r['keystroke_max_ms']:5.1f}; "
                f"pilot round trip {r['pilot_ms']:5.1f}), "
                f"RSS {r['rss_kb'] / 1024:6.1f} MB ({r['rss_filtered_kb'] / 1024:.1f} MB "
                "once the filter index is loaded)"
            )
    a, b = results[100], results[big]
    print(
        f"first paint ratio {b['paint_s'] / a['paint_s']:.2f} (budget 2.0); keystroke median "
        f"{b['keystroke_ms']:.1f} ms (budget 50); memory ratio {b['rss_kb'] / a['rss_kb']:.2f}"
        " (budget 2.0)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()

"""The TUI at 100,000 claims against 100: first paint, moving down the list, a filter keystroke.

    python bench/tui_bench.py [N] [--against REF] [--moves M] [--books DIR]
Budgets (issue 20): first paint at N <= 1.0 s; moving down one claim (key `down` through Pilot,
until the claim pane shows the new claim) p95 <= 50 ms at N; a filter keystroke at N within one
frame (median <= 50 ms); resident memory with N claims open at most 2x that with 100.
Each size runs in its own process so memory is measured cleanly. With --against, the tree of
git revision REF runs the same measurements on the same casebooks in the same run, so the
figures before a change and after it sit side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--child" not in sys.argv:  # a child imports `verify` from the tree it was given
    sys.path.insert(0, str(ROOT))

RUN_FROM = (
    "import runpy, sys; "
    # An editable install finds `verify` wherever it was installed from: run this tree's.
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]; "
    "sys.path.insert(0, {tree!r}); "
    "sys.argv = [{script!r}, *sys.argv[1:]]; runpy.run_path({script!r}, run_name='__main__')"
)


def current_rss_kb() -> float:
    # Not ru_maxrss: Linux carries it across execve, so a child would report its parent's peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return float(line.split()[1])
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure(path: Path, state: Path, moves: int) -> dict[str, float]:
    from textual.widgets import Input

    from verify.ui.app import make_app

    t0 = time.perf_counter()
    app = make_app(path, state, watch_interval=0, keymap_path=state.with_suffix(".keys"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        paint = time.perf_counter() - t0
        rss_kb = current_rss_kb()
        # Moving down one claim: from the key sent through Pilot to the last screen update
        # that drew something (the list's cursor, the claim pane recomposed with the new
        # claim). Pilot's own waiting (it sleeps in 20 ms steps until the process looks idle)
        # comes after that update and is reported beside it, not counted in it.
        screen = app.screen
        draw = screen._compositor_refresh
        painted = [0.0]

        def timed_draw() -> None:
            draw()
            painted[0] = time.perf_counter()

        screen._compositor_refresh = timed_draw  # type: ignore[method-assign]
        move: list[float] = []
        round_trip: list[float] = []
        for _ in range(moves):
            k0 = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            move.append(painted[0] - k0)
            round_trip.append(time.perf_counter() - k0)
        screen._compositor_refresh = draw  # type: ignore[method-assign]
        shown = app.ctx.claim.id if app.ctx else None
        current = app.claim_list.current
        if shown is None or current is None or shown != current.id:
            raise SystemExit(f"the claim pane shows {shown}, the list is on {current}")
        trips = []
        for _ in range(10):
            k0 = time.perf_counter()
            await pilot.press("f24")  # a key with no work behind it: the driver's overhead
            await pilot.pause()
            trips.append(time.perf_counter() - k0)
        await pilot.press("slash")
        await pilot.pause()
        # The work one keystroke costs the app: the filter handler (rank, re-page the list)
        # plus rendering every visible row of the list, for each prefix of a typed query.
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
    return {
        "paint_s": paint,
        "rss_kb": rss_kb,
        "move_p95_ms": 1000 * p95(move),
        "move_median_ms": 1000 * statistics.median(move),
        "move_pilot_ms": 1000 * statistics.median(round_trip),
        "keystroke_ms": 1000 * statistics.median(work),
        "keystroke_max_ms": 1000 * max(work),
        "pilot_ms": 1000 * statistics.median(trips),
        "rss_filtered_kb": rss_filtered_kb,
    }


def child(path: str, state: str, moves: int) -> None:
    print(json.dumps(asyncio.run(measure(Path(path), Path(state), moves))))


def tree_of(ref: str, dest: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "verify"], capture_output=True, check=True
    ).stdout
    dest.mkdir()
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def run_child(tree: Path, book: Path, state: Path, moves: int) -> dict[str, float]:
    script = str(Path(__file__).resolve())
    code = RUN_FROM.format(tree=str(tree), script=script)
    args = ["--child", str(book), str(state), str(moves)]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=os.environ.copy()
    )
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr.strip()[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    from bench.casebooks import build

    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--against", metavar="REF", help="also measure the tree of this revision")
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument(
        "--books", metavar="DIR", help="keep the casebooks here and reuse them on the next run"
    )
    opts = parser.parse_args()
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"now": ROOT}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, Path(tmp) / "against")
        keep = Path(opts.books) if opts.books else Path(tmp)
        keep.mkdir(parents=True, exist_ok=True)
        books = {}
        for n in (100, opts.n):
            book = keep / f"t{n}.casebook"
            books[n] = book if book.exists() else build(book, n)
        for n, book in books.items():
            for name, tree in trees.items():
                # A fresh state file each run: the app starts on the first claim both times.
                state = Path(tmp) / f"state-{name}-{n}.json"
                state.unlink(missing_ok=True)
                r = results[name, n] = run_child(tree, book, state, opts.moves)
                print(
                    f"{name:>8} {n:>7} claims: first paint {r['paint_s']:6.3f} s, move down "
                    f"p95 {r['move_p95_ms']:6.1f} ms (median {r['move_median_ms']:5.1f}; Pilot "
                    f"round trip {r['move_pilot_ms']:5.1f}, {r['pilot_ms']:5.1f} for a key with "
                    "no work), filter keystroke median "
                    f"{r['keystroke_ms']:5.1f} ms (max {r['keystroke_max_ms']:5.1f}), "
                    f"RSS {r['rss_kb'] / 1024:6.1f} MB ({r['rss_filtered_kb'] / 1024:.1f} MB "
                    "once the filter index is loaded)",
                    flush=True,
                )
    big = opts.n
    now_big, now_small = results["now", big], results["now", 100]
    print(
        f"now: first paint at {big} {now_big['paint_s']:.3f} s (budget 1.0), at 100 "
        f"{now_small['paint_s']:.3f} s; move down p95 at {big} {now_big['move_p95_ms']:.1f} ms "
        f"(budget 50); keystroke median {now_big['keystroke_ms']:.1f} ms (budget 50); memory "
        f"ratio {now_big['rss_kb'] / now_small['rss_kb']:.2f} (budget 2.0)"
    )
    if opts.against:
        old = results[opts.against, big]
        print(
            f"against {opts.against}: first paint at {big} {old['paint_s']:.3f} s -> "
            f"{now_big['paint_s']:.3f} s ({now_big['paint_s'] / old['paint_s']:.2f}x); move down "
            f"p95 {old['move_p95_ms']:.1f} ms -> {now_big['move_p95_ms']:.1f} ms "
            f"({now_big['move_p95_ms'] / old['move_p95_ms']:.2f}x)"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()

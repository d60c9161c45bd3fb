"""What watching for a colleague's change costs the TUI, at 100 claims and at N (100,000).

    python bench/watch_bench.py [N] [--books DIR] [--filter WORD]
The TUI looks every 0.4 s whether anyone else committed. Measured in one run, per size, with a
word filter active (so the list has its filter index, the costly part to rebuild):
- a look when nothing changed (what every reviewer pays 2.5 times a second);
- a look after a colleague saved a verdict on a claim that is not shown: the app reloads that
  claim only, against `refresh_all` after the same change (what every such look did before);
- a look after a colleague's verdict on the shown claim (it is re-read and redrawn in place).
Times are the synchronous work of the look (the screen is drawn after it), medians of repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


async def measure(book: Path, state: Path, word: str, repeat: int) -> dict[str, float]:
    from verify.store import Store
    from verify.ui import watching
    from verify.ui.app import make_app

    app = make_app(book, state, watch_interval=0, keymap_path=state.with_suffix(".keys"))
    labels = ["true", "false"]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *word, "enter")
        await pilot.pause()
        rows = app.rows
        shown = app.ctx.claim.id if app.ctx else None
        listed = [r for r in (rows.get(i) for i in range(min(len(rows), 50))) if r]
        listed += app.store.summaries(limit=2)  # the filter may show one claim only
        other = next(r.id for r in listed if r.id != shown)
        colleague = Store.open(book, actor="colleague")

        def save(claim_id: str, i: int) -> None:
            colleague.update_claim(
                claim_id,
                lambda c: c.model_copy(update={"tags": [*c.tags[:3], labels[i % 2]]}),
                "claim.edit",
            )

        idle, incremental, full, current = [], [], [], []
        for _ in range(repeat * 10):
            t0 = time.perf_counter()
            watching.look(app)
            idle.append(time.perf_counter() - t0)
        for i in range(repeat):
            save(other, i)
            t0 = time.perf_counter()
            watching.look(app)
            incremental.append(time.perf_counter() - t0)
            await pilot.pause()
            save(other, i + 1)
            app.store.changed_elsewhere()  # seen: time the reload the old look did
            t0 = time.perf_counter()
            app.refresh_all()
            full.append(time.perf_counter() - t0)
            await pilot.pause()
            app._seen_seq = watching.changes.latest(app.store)
            if shown is not None:
                save(shown, i)
                t0 = time.perf_counter()
                watching.look(app)
                current.append(time.perf_counter() - t0)
                await pilot.pause()
        colleague.close()
        shown_rows = len(rows)
    return {
        "rows": shown_rows,
        "idle_us": 1000 * _median_ms(idle),
        "incremental_ms": _median_ms(incremental),
        "full_ms": _median_ms(full),
        "shown_ms": _median_ms(current) if current else float("nan"),
    }


def main() -> None:
    from bench.casebooks import build

    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--books", metavar="DIR", help="keep the casebooks here and reuse them")
    parser.add_argument("--filter", default="the", help="the word filter active meanwhile")
    parser.add_argument("--repeat", type=int, default=15)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        keep = Path(opts.books) if opts.books else Path(tmp)
        keep.mkdir(parents=True, exist_ok=True)
        results = {}
        for n in (100, opts.n):
            book = keep / f"t{n}.casebook"
            if not book.exists():
                build(book, n)
            state = Path(tmp) / f"state-{n}.json"
            r = results[n] = asyncio.run(measure(book, state, opts.filter, opts.repeat))
            print(
                f"{n:>7} claims ({r['rows']} shown by the filter): look with no change "
                f"{r['idle_us']:.0f} us; after a colleague's save of another claim "
                f"{r['incremental_ms']:.1f} ms (refresh_all: {r['full_ms']:.1f} ms); of the "
                f"shown claim {r['shown_ms']:.1f} ms",
                flush=True,
            )
    big, small = results[opts.n], results[100]
    print(
        f"at {opts.n}: idle look {big['idle_us']:.0f} us ({big['idle_us'] / small['idle_us']:.2f}x "
        f"of 100 claims); reload after a colleague's save {big['incremental_ms']:.1f} ms against "
        f"{big['full_ms']:.1f} ms for refresh_all "
        f"({big['incremental_ms'] / big['full_ms']:.2f}x); load average "
        f"{os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

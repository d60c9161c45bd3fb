"""Import an archive and ask "already checked?": how soon is the first answer, at full quality?

    python bench/import_query_bench.py [N] [--against REF]
Writes N claims (default 20,000: the CLEF verified claims, numbered copies after the first
10,375, each with its headline) as JSON lines, starts `verify import` on a new casebook, and
as soon as another process can see all N claims runs `verify match` with an English query.
Prints the seconds from the start of the import to that answer, when the import ended (every
vector in place) and the CPU time the import took, and whether the answer is the one given
once every vector is in place. With --against, the
same for git revision REF's tree, one after the other. Budget: first answer within 25 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casebooks import base_texts
from bench.startup_bench import RUN_FROM, tree_of

ROOT = Path(__file__).resolve().parent.parent
QUERY = "Obama released 122 Guantanamo detainees who went back to terrorism"


def archive(path: Path, n: int) -> Path:
    texts = base_texts()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text, title = texts[i % len(texts)]
            if i >= len(texts):
                text = f"{text} ({i // len(texts)})"
            fh.write(json.dumps({"id": f"r{i}", "text": text, "title": title}) + "\n")
    return path


def visible(book: Path, table: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def verify(tree: Path, *args: str) -> list[str]:
    cmd = [sys.executable, "-c", RUN_FROM.format(tree=str(tree)), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [line.split("\t")[0] for line in out.splitlines()]


def run(tree: Path, source: Path, book: Path, n: int) -> dict[str, float]:
    t0 = time.perf_counter()
    cmd = [sys.executable, "-c", RUN_FROM.format(tree=str(tree))]
    importing = subprocess.Popen(
        [*cmd, "import", str(source), "--casebook", str(book)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while visible(book, "claims") < n and importing.poll() is None:
        time.sleep(0.1)
    first = verify(tree, "match", QUERY, "--casebook", str(book))
    answered = time.perf_counter() - t0
    # The import's own CPU time (user + system): on a shared machine the wall time is
    # mostly waiting for a core.
    _, status, usage = os.wait4(importing.pid, 0)
    importing.returncode = os.waitstatus_to_exitcode(status)
    done = time.perf_counter() - t0
    settled = verify(tree, "match", QUERY, "--casebook", str(book))
    return {
        "answered": answered,
        "imported": done,
        "same": float(first == settled),
        "vectors": visible(book, "match_vectors"),
        "cpu": usage.ru_utime + usage.ru_stime,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=20_000)
    parser.add_argument("--against", metavar="REF")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = archive(Path(tmp) / "archive.jsonl", opts.n)
        trees = {"now": ROOT}
        if opts.against:
            trees[opts.against] = tree_of(opts.against, Path(tmp) / "against")
        results = {}
        for name, tree in trees.items():
            got = run(tree, source, Path(tmp) / f"{name}.casebook", opts.n)
            results[name] = got
            print(
                f"{name:>8}: first answer {got['answered']:6.1f} s, import done "
                f"{got['imported']:6.1f} s ({got['imported'] / opts.n * 1000:.2f} ms a claim; "
                f"CPU {got['cpu']:.1f} s, {got['cpu'] / opts.n * 1000:.2f} ms a claim), "
                f"{got['vectors']} vectors, answer as with all vectors: {bool(got['same'])}, "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        if opts.against:
            ref, now = results[opts.against], results["now"]
            print(
                f"first answer {float(ref['answered']) / float(now['answered']):.1f}x sooner; "
                f"import {float(ref['imported']) / float(now['imported']):.2f}x faster "
                f"({float(ref['cpu']) / float(now['cpu']):.2f}x less CPU)"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

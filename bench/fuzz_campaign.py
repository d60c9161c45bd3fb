"""The long hostile-input campaign: the properties of tests/test_fuzz.py, 10,000 inputs each.

    python bench/fuzz_campaign.py [EXAMPLES] [-k NAME]
Runs each property of tests/test_fuzz.py with the `campaign` hypothesis profile (binary,
invalid UTF-8, NUL, RTL overrides, ANSI escapes, Rich markup, markdown/HTML injection, deep
JSON, a 10 MB line; escape sequences through the CLI's output, ClaimReview script breakout,
declared charsets, redirects to any address), one route at a time, and prints a line per route
as it finishes: passed or failed, how many inputs hypothesis ran, and the time taken.
The commands run in-process (the same code path as `verify ...` after argument parsing),
the sample casebook is built once and copied per input, and one local server answers every
redirect. `-k escape` picks routes by name. Exit status: 1 if any route failed.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROPERTIES = ROOT / "tests" / "test_fuzz.py"


def routes(pattern: str | None) -> list[str]:
    """The property tests in tests/test_fuzz.py, those whose name contains `pattern`."""
    tree = ast.parse(PROPERTIES.read_text("utf-8"))
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    names = [n for n in names if n.startswith("test_")]
    if pattern is None:
        return names
    words = [w.strip() for w in pattern.split(" or ")]
    return [n for n in names if any(w in n for w in words)]


def main() -> int:
    args = sys.argv[1:]
    examples = args.pop(0) if args and args[0].isdigit() else "10000"
    pattern = args[args.index("-k") + 1] if "-k" in args else None
    env = {**os.environ, "VERIFY_FUZZ_PROFILE": "campaign", "VERIFY_FUZZ_EXAMPLES": examples}
    failed = 0
    for name in routes(pattern):
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:randomly",
                "--hypothesis-show-statistics",
                f"{PROPERTIES.relative_to(ROOT)}::{name}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - start
        # Every phase (explicit examples, replayed ones, generated ones) reports its count.
        ran = sum(int(n) for n in re.findall(r"(\d+) passing, \d+ failing", proc.stdout))
        verdict = "clean" if proc.returncode == 0 else "FAILED"
        inputs = f"{ran:,} inputs"
        print(f"{name}: {verdict}, {inputs}, {took:.0f} s", flush=True)
        if proc.returncode != 0:
            failed += 1
            print(proc.stdout[-4000:], proc.stderr[-2000:], sep="\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

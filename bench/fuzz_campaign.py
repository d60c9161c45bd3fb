"""The long hostile-input campaign: the properties of tests/test_fuzz.py, 10,000 inputs each.

    python bench/fuzz_campaign.py [EXAMPLES] [-k NAME]
Runs pytest on tests/test_fuzz.py with the `campaign` hypothesis profile (binary, invalid
UTF-8, NUL, RTL overrides, ANSI escapes, Rich markup, markdown/HTML injection, deep JSON,
a 10 MB line; escape sequences through the CLI's output, ClaimReview script breakout,
declared charsets, redirects to any address), and prints pytest's summary.
`-k escape` (pytest's -k) picks routes. Exit status is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    args = sys.argv[1:]
    examples = args.pop(0) if args and args[0].isdigit() else "10000"
    env = {**os.environ, "VERIFY_FUZZ_PROFILE": "campaign", "VERIFY_FUZZ_EXAMPLES": examples}
    return subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "tests/test_fuzz.py", *args], cwd=ROOT, env=env
    )


if __name__ == "__main__":
    sys.exit(main())

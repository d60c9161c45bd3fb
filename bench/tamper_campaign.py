"""The long tamper campaign: random bit flips and digit changes over a real casebook.

    python bench/tamper_campaign.py [ROUNDS]     (default 2000)
Prints how many changes reached stored content, how many of those `verify check` named (and
how many it had to refuse at opening), and every silent change or internal failure of check
(there must be none).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.tamper_campaign import run


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tally = run(Path(tmp), rounds, seed=2026)
    for what in tally.silent:
        print("SILENT:", what)
    for what in tally.internal:
        print("INTERNAL:", what)
    print(
        f"{rounds} rounds (half bit flips, half digit changes) in "
        f"{time.perf_counter() - t0:.0f} s: {tally.content_changed} changed stored content, "
        f"{tally.named} of them named by check ({tally.refused} refused at opening), "
        f"{len(tally.silent)} silent; {len(tally.internal)} internal failures of check; "
        f"{tally.index_only} changed only the derived search index, {tally.flagged_file} "
        f"damaged only file structure (named), {tally.harmless} changed nothing readable"
    )
    return 1 if tally.silent or tally.internal else 0


if __name__ == "__main__":
    sys.exit(main())

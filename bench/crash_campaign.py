"""The long crash campaign: hundreds of real `verify` writes killed with SIGKILL.

    python bench/crash_campaign.py [ROUNDS]     (default 400: well over 200 of them killed)
Prints how many processes were killed mid-run, how many commands were acknowledged (per kind:
verdict, import, ingest, config, backup, restore, migrate), and every acknowledged write that
went missing, every instant without a casebook, or check failure (there must be none).
`verify check` runs after every 20 rounds as well as at the end.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crash_campaign import Campaign


def main() -> int:
    import random

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        campaign = Campaign(Path(tmp), random.Random(2026))
        campaign.setup()
        checks = failures = 0
        for n in range(rounds):
            campaign.round(n)
            if (n + 1) % 20 == 0 or n + 1 == rounds:
                problems = campaign.problems()
                checks += 1
                failures += bool(problems)
                for p in problems:
                    print("PROBLEM:", p)
        print(
            f"{campaign.rounds} rounds in {time.perf_counter() - t0:.0f} s: "
            f"{campaign.killed} processes killed mid-run, "
            f"{sum(campaign.acked.values())} commands acknowledged, "
            f"{checks} integrity checks, {failures} with problems"
        )
        for kind in sorted(campaign.counts):
            print(
                f"  {kind}: {campaign.counts[kind]} run, {campaign.acked.get(kind, 0)} acknowledged"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

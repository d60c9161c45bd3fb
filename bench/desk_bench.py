"""A desk of concurrent reviewers on one casebook: no acknowledged write lost, no internal error.

    python bench/desk_bench.py [--casebook CASEBOOK | --postgresql] [--reviewers 16]
                               [--verdicts 25] [--exec]

Each reviewer is a separate process with its own VERIFY_ACTOR. Half set verdicts on claims of
their own; the other half race on the same shared claims with `verify verdict --revision N`,
every second verdict of theirs deliberately stale. Afterwards the casebook's history is read
back: every acknowledged write must be there (lost: 0), every failure must be one clear line
(internal errors: 0), and the stale writes must be refused. Prints the tally as JSON lines and
exits 1 when a target is missed.

Without --casebook it works on a fresh SQLite casebook in a temporary folder; with one, it
adds its own claims to that casebook (use a throwaway one); --postgresql runs it on a fresh
database of a throwaway PostgreSQL cluster, started as the tests start theirs. --exec runs
one `verify` process per verdict instead of the CLI's code path inside one process per
reviewer.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import desk_campaign  # noqa: E402


def check_damage(casebook: str) -> list[str]:
    """What `verify check` calls damage in the casebook after the desk's day."""
    from verify import integrity
    from verify.store import Store

    with Store.open(casebook) as store:
        return [str(f) for f in integrity.check(store) if f.severity == "damage"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--casebook", help="casebook path or address (default: a fresh one)")
    parser.add_argument("--reviewers", type=int, default=16)
    parser.add_argument("--verdicts", type=int, default=25, help="verdicts per reviewer")
    parser.add_argument("--exec", action="store_true", help="one verify process per verdict")
    parser.add_argument("--postgresql", action="store_true", help="on a throwaway cluster")
    args = parser.parse_args()
    server = None
    if args.postgresql:
        import pgserver

        server = pgserver.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            casebook = args.casebook or (
                server.new_database() if server else str(Path(folder) / "desk.casebook")
            )
            tally, seconds = desk_campaign.run(
                casebook, args.reviewers, args.verdicts, exec_each=args.exec, folder=Path(folder)
            )
            damage = check_damage(casebook)
    finally:
        if server is not None:
            server.stop()
    result = {
        "reviewers": args.reviewers,
        "verdicts_each": args.verdicts,
        "through": "verify process per verdict" if args.exec else "verify.cli.main per verdict",
        "backend": "postgresql" if args.postgresql or "://" in (args.casebook or "") else "sqlite",
        **tally.as_dict(),
        "check_damage": len(damage),
        "seconds": round(seconds, 1),
        "writes_per_second": round(tally.attempts / seconds, 1) if seconds else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))
    for line in (tally.internal_errors + tally.other_refusals + damage)[:10]:
        print(json.dumps({"failure": line}))
    ok = (
        tally.lost == 0
        and not tally.internal_errors
        and tally.duplicate_revisions == 0
        and tally.stale_refused >= tally.stale_on_purpose
        and not damage
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

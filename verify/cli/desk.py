"""Working as a desk: who has which claim (assign) and who did what (history)."""

from __future__ import annotations

import argparse

from verify.cli.common import Add, open_store, out
from verify.errors import VerifyError
from verify.textsafe import json_line, one_line


def cmd_assign(args: argparse.Namespace) -> int:
    from verify import assignments

    given = [args.reviewer is not None, args.me, args.none]
    if sum(given) != 1:
        raise VerifyError("give one of: a REVIEWER, --me or --none")
    with open_store(args) as store:
        reviewer = None if args.none else store.actor if args.me else args.reviewer
        claim, changed = assignments.assign(store, args.id, reviewer, revision=args.revision)
    who = claim.assignee
    if not changed:
        said = f"already assigned to {who}" if who else "already unassigned"
    else:
        said = f"assigned to {who}" if who else "unassigned"
    out(f"{claim.id}: {one_line(said, 120)} (revision {claim.revision})")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from verify import history

    if args.limit is not None and args.limit < 1:
        raise VerifyError("--limit must be 1 or more")
    with open_store(args) as store:
        if args.id is not None:
            store.get_claim(args.id)  # an unknown id is an error, not an empty history
        target = f"claim:{args.id}" if args.id is not None else None
        events = store.events(target=target, limit=args.limit)
    for event in events:
        what = history.describe(event)
        if args.json:
            out(
                json_line(
                    {
                        "seq": event.seq,
                        "at": event.at.isoformat(),
                        "actor": event.actor,
                        "action": event.action,
                        "target": event.target,
                        "undone": event.undone,
                        "what": what,
                    }
                )
            )
        else:
            when = event.at.strftime("%Y-%m-%d %H:%M:%S")
            undone = " (undone)" if event.undone else ""
            out(f"{event.seq}\t{when}\t{one_line(event.actor, 40)}\t{one_line(what)}{undone}")
    return 0


def register(add: Add) -> None:
    p = add("assign", cmd_assign, "give a claim to a reviewer on the desk (undoable)")
    p.add_argument("id")
    p.add_argument("reviewer", nargs="?", help="who has the claim now")
    p.add_argument("--me", action="store_true", help="assign it to yourself ($VERIFY_ACTOR)")
    p.add_argument("--none", action="store_true", help="unassign it")
    p.add_argument(
        "--revision",
        type=int,
        metavar="N",
        help="only if the claim is still at revision N (as `verify show` printed it)",
    )

    p = add("history", cmd_history, "who did what: the casebook's events, or one claim's")
    p.add_argument("id", nargs="?", help="only this claim's history")
    p.add_argument("--limit", type=int, metavar="N", help="only the latest N events")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

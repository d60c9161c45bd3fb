"""Reading and deciding claims: list, show, verdict."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from verify.cli.common import Add, err, open_store, out
from verify.errors import VerifyError
from verify.textsafe import json_line, one_line


def cmd_list(args: argparse.Namespace) -> int:
    from verify import assignments

    with open_store(args) as store:
        if args.verdict and store.settings().label(args.verdict) is None:
            raise VerifyError(f"unknown verdict label {args.verdict!r}")
        rows = store.summaries(verdict=args.verdict, status=args.status)
        whose = store.actor if args.mine else args.assigned
    if not (args.all or args.status):
        # Dropped (and merged, which are dropped) claims are done with: shown only when asked.
        rows = [r for r in rows if r.status != "dropped"]
    if whose is not None or args.unassigned:
        rows = [r for r in rows if assignments.matches(r, whose)]
    width = 100 if sys.stdout.isatty() else None
    for r in rows:
        if args.json:
            out(json_line(r.model_dump()))
        else:
            out(
                f"{r.id}\t{r.verdict or '-'}\t{r.status}\t{r.accounts}a/{r.evidence}e\t"
                f"{one_line(r.text, width)}\t{'@' + one_line(r.assignee) if r.assignee else '-'}"
            )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from verify.report.text import claim_text

    with open_store(args) as store:
        claim = store.get_claim(args.id)
        if args.json:
            out(json_line(claim.model_dump(mode="json")))
            return 0
        sources, documents = store.sources_for(claim), store.documents_for(claim)
        out(claim_text(claim, store.settings(), sources, documents))
        last = store.events(target=f"claim:{claim.id}", limit=1)
    if last:
        from verify import history

        when = last[0].at.strftime("%Y-%m-%d %H:%M")
        out(
            f"\nLast change: {history.describe(last[0])} by {one_line(last[0].actor, 40)}, "
            f"{when} UTC (`verify history {claim.id}` for all)"
        )
    return 0


def cmd_verdict(args: argparse.Namespace) -> int:
    from verify import actions, grading

    with open_store(args) as store:
        label = store.settings().label(args.label)
        if label is None:
            known = ", ".join(r.label for r in store.settings().scale)
            raise VerifyError(f"unknown verdict label {args.label!r} (known: {known})")
        claim = store.get_claim(args.id)
        sources = store.sources_for(claim)
        thin = grading.needs_confirmation(claim, label.label, sources)
        if thin:
            n = grading.independent_sources(claim, sources)
            warning = f"verdict rests on {n} independent source(s); two are expected"
            if sys.stdin.isatty() and not args.yes:
                answer = input(f"{warning}. Set it anyway? [y/N] ").strip().lower()
                if answer not in ("y", "yes"):
                    raise VerifyError("verdict not set")
            else:
                err(f"warning: {warning}; recorded as confirmed")

        def edit(c: Any) -> Any:
            if args.revision is not None:
                # The claim as the reviewer saw it: saving refuses it if it moved on since.
                c = c.model_copy(update={"revision": args.revision})
            return actions.set_verdict(
                c,
                store.settings(),
                label.label,
                reviewer=store.actor,
                at=store.clock(),
                rationale=args.rationale,
                thin_confirmed=thin,
            )

        new = store.update_claim(args.id, edit, "claim.verdict")
    out(f"{new.id}: {label.label} (revision {new.revision})")
    return 0


def register(add: Add) -> None:
    p = add("list", cmd_list, "list claims")
    p.add_argument("--verdict", metavar="LABEL", help="only claims with this verdict")
    p.add_argument("--status", choices=["proposed", "open", "decided", "dropped"])
    p.add_argument("--all", action="store_true", help="dropped and merged claims too")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    whose = p.add_mutually_exclusive_group()
    whose.add_argument("--mine", action="store_true", help="only claims assigned to you")
    whose.add_argument("--assigned", metavar="REVIEWER", help="only claims assigned to REVIEWER")
    whose.add_argument("--unassigned", action="store_true", help="only claims nobody has")

    p = add("show", cmd_show, "show one claim with its accounts and evidence")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = add("verdict", cmd_verdict, "set a claim's verdict")
    p.add_argument("id")
    p.add_argument("label")
    p.add_argument("--rationale", help="why; kept with the verdict")
    p.add_argument(
        "--yes",
        action="store_true",
        help="confirm a verdict that rests on fewer than two independent sources",
    )
    p.add_argument(
        "--revision",
        type=int,
        metavar="N",
        help="only if the claim is still at revision N (as `verify show` printed it)",
    )

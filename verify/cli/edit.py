"""Correcting the casebook: edit and delete claims, accounts, evidence and sources; undo, redo."""

from __future__ import annotations

import argparse
from typing import Any

from verify.cli.common import Add, open_store, out
from verify.errors import VerifyError
from verify.textsafe import json_line, one_line

FIELDS = {
    "claim": ("text", "claimant", "date", "tags", "status"),
    "account": ("statement", "source", "assessment"),
    "evidence": ("summary", "note", "credibility", "source", "stance"),
    "source": ("name", "grade"),
}


def _given(args: argparse.Namespace) -> list[str]:
    every = {f for fields in FIELDS.values() for f in fields}
    return sorted(f for f in every if getattr(args, f) not in (None, []))


def cmd_edit(args: argparse.Namespace) -> int:
    from verify import editing

    given = _given(args)
    wrong = [f for f in given if f not in FIELDS[args.kind]]
    if wrong:
        allowed = ", ".join(f"--{f}" for f in FIELDS[args.kind])
        raise VerifyError(f"--{wrong[0]} is not a field of a {args.kind} (use {allowed})")
    if not given:
        raise VerifyError(f"nothing to change: give one of {', '.join(FIELDS[args.kind])}")
    record: Any
    with open_store(args) as store:
        if args.kind == "claim":
            tags = editing.parse_tags(args.tags) if args.tags is not None else None
            edit = editing.ClaimEdit(args.text, args.claimant, args.date, tags, args.status)
            record = editing.edit_claim(store, args.id, edit)
            summary = f"{record.id}: edited (revision {record.revision})"
        elif args.kind == "account":
            claim = editing.edit_account(
                store,
                args.id,
                statement=args.statement,
                source_id=args.source,
                assessment=args.assessment,
            )
            record = claim.account(args.id)
            summary = f"{args.id}: edited (claim {claim.id}, revision {claim.revision})"
        elif args.kind == "evidence":
            stances = [editing.parse_stance(s) for s in args.stance or []]
            claim = editing.edit_evidence(
                store,
                args.id,
                summary=args.summary,
                note=args.note,
                credibility=args.credibility,
                source_id=args.source,
                stances=stances,
            )
            record = next(e for e in claim.evidence if e.id == args.id)
            summary = f"{args.id}: edited (claim {claim.id}, revision {claim.revision})"
        else:
            record = editing.edit_source(store, args.id, name=args.name, grade=args.grade)
            summary = f"{record.id}: edited"
    out(json_line(record.model_dump(mode="json")) if args.json else summary)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from verify import editing

    with open_store(args) as store:
        if args.kind == "claim":
            claim = editing.delete_claim(store, args.id)
            said = f"deleted claim '{one_line(claim.text, 60)}'"
        elif args.kind == "account":
            claim = editing.delete_account(store, args.id)
            said = f"deleted account {args.id} of claim {claim.id}"
        else:
            claim = editing.delete_evidence(store, args.id)
            said = f"deleted evidence {args.id} of claim {claim.id}"
    out(f"{said} (verify undo brings it back)")
    return 0


def _step(args: argparse.Namespace, undo: bool) -> int:
    from verify import history

    with open_store(args) as store:
        event = store.undo() if undo else store.redo()
    if event is None:
        raise VerifyError("nothing to undo" if undo else "nothing to redo")
    out(f"{'Undid' if undo else 'Redid'}: {history.describe(event)}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    return _step(args, undo=True)


def cmd_redo(args: argparse.Namespace) -> int:
    return _step(args, undo=False)


def register(add: Add) -> None:
    p = add("edit", cmd_edit, "correct a claim, account, evidence item or source (undoable)")
    p.add_argument("kind", choices=list(FIELDS))
    p.add_argument("id")
    p.add_argument("--text", help="claim: its text")
    p.add_argument("--claimant", help="claim: who made it")
    p.add_argument("--date", help="claim: when it was made, YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--tags", help="claim: comma-separated tags (replaces them)")
    p.add_argument("--status", help="claim: proposed, open, decided or dropped")
    p.add_argument("--statement", help="account: what this side says")
    p.add_argument("--source", metavar="SOURCE_ID", help="account, evidence: source ('' for none)")
    p.add_argument("--assessment", help="account: supported, refuted or unresolved")
    p.add_argument("--summary", help="evidence: one line on what it shows")
    p.add_argument("--note", help="evidence: the note's text")
    p.add_argument("--credibility", type=int, choices=range(1, 7), metavar="1-6")
    p.add_argument(
        "--stance",
        action="append",
        metavar="ACCOUNT_ID=CC|C|N|I|II",
        help="evidence: its stance on one account of the same claim (repeatable; empty clears)",
    )
    p.add_argument("--name", help="source: its name")
    p.add_argument("--grade", help="source: reliability A-F")
    p.add_argument("--json", action="store_true", help="print the edited record as JSON")

    p = add("delete", cmd_delete, "delete a claim, account or evidence item (undoable)")
    p.add_argument("kind", choices=["claim", "account", "evidence"])
    p.add_argument("id")

    add("undo", cmd_undo, "undo the latest change (one action, even if it touched many records)")
    add("redo", cmd_redo, "redo the change undone last")

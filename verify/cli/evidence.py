"""Evidence from the command line: attach a note, URL, file or passage; get a file back."""

from __future__ import annotations

import argparse
import sys

from verify.cli.common import Add, err, open_store, out, write_output
from verify.errors import VerifyError
from verify.textsafe import json_line


def cmd_evidence(args: argparse.Namespace) -> int:
    from verify import editing, evidence
    from verify.media import index as media_index
    from verify.models import EvidenceKind

    if args.action != "add":
        args.parser.error("use `verify evidence add CLAIM_ID ...`")
    if args.document and not args.quote:
        raise VerifyError("--document needs --quote TEXT: the passage, word for word")
    if args.quote and not args.document:
        raise VerifyError("--quote goes with --document DOC_ID")
    if args.note is not None:
        kind = EvidenceKind.note
    elif args.url is not None:
        kind = EvidenceKind.url
    elif args.file is not None:
        kind = EvidenceKind.file
    else:
        kind = EvidenceKind.passage
    stances = {}
    for given in args.stance or []:
        account_id, stance = editing.parse_stance(given)
        if stance is None:
            raise VerifyError(f"give a stance for account {account_id}: CC, C, N, I or II")
        stances[account_id] = stance
    draft = evidence.EvidenceDraft(
        kind,
        document_id=args.document or "",
        quote=args.quote or "",
        url=args.url or "",
        path=args.file or "",
        note=args.note or "",
        summary=args.summary or "",
        source_id=args.source or None,
        credibility=args.credibility,
        stances=stances,
    )
    with open_store(args) as store:
        claim, item = evidence.attach(store, args.claim_id, draft)
        media = media_index.about(store.conn, item)
    if args.json:
        out(json_line(item.model_dump(mode="json")))
    else:
        out(f"{item.id}: {item.kind.value} evidence on {claim.id} (revision {claim.revision})")
    if media is not None:
        media_index.tell(media, out if not args.json else None, err)
    return 0


def cmd_attachment(args: argparse.Namespace) -> int:
    from verify import evidence

    with open_store(args) as store:
        raw, _ = evidence.attachment(store, args.evidence_id)
    if args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return 0
    write_output(raw, args.output)  # through symlinks, keeping modes, never half a file
    return 0


def register(add: Add) -> None:
    p = add("evidence", cmd_evidence, "attach evidence to a claim: a note, URL, file or passage")
    p.add_argument("action", choices=["add"])
    p.add_argument("claim_id", metavar="CLAIM_ID")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--note", metavar="TEXT", help="a note in the reviewer's words")
    what.add_argument("--url", help="a web page, fetched and archived now")
    what.add_argument("--file", metavar="PATH", help="a file, archived byte for byte")
    what.add_argument("--document", metavar="DOC_ID", help="an archived document (with --quote)")
    p.add_argument("--quote", metavar="TEXT", help="the passage of --document, word for word")
    p.add_argument("--summary", metavar="TEXT", help="one line on what it shows")
    p.add_argument("--credibility", type=int, default=6, choices=range(1, 7), metavar="1-6")
    p.add_argument("--source", metavar="SOURCE_ID", help="who it comes from")
    p.add_argument(
        "--stance",
        action="append",
        metavar="ACCOUNT_ID=CC|C|N|I|II",
        help="how it bears on one of the claim's accounts (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print the new item as JSON")
    p.set_defaults(parser=p)

    p = add("attachment", cmd_attachment, "write an evidence item's archived file, byte for byte")
    p.add_argument("evidence_id", metavar="EVIDENCE_ID")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="where ('-': stdout)")

"""Reading sources: ingest, extract, quote, match."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from verify.cli.common import Add, err, json_requests, open_store, out
from verify.errors import VerifyError
from verify.textsafe import json_line, one_line


def cmd_ingest(args: argparse.Namespace) -> int:
    """Each source is its own action: one that cannot be saved leaves the others saved.

    Every source is read and checked before anything is written, so an unreadable one
    changes nothing; a failure while writing (a busy or full disk) is reported per source,
    and the exit status is 1 with a line naming what was saved and what was not.
    """
    from verify.ingest import pipeline

    if args.src.count("-") > 1:
        raise VerifyError("standard input ('-') can be given only once")
    with open_store(args, create=True) as store:
        archived = []
        show_progress = sys.stderr.isatty() and len(args.src) > 1
        for i, src in enumerate(args.src, 1):
            if show_progress:
                sys.stderr.write(f"\rreading {i}/{len(args.src)}: {one_line(src, 60):<60}")
            archived += _read_all(src, store.clock(), args.timeout)
        totals = dict.fromkeys(
            ("documents", "sentences", "candidates", "groups", "claims", "attached", "duplicates"),
            0,
        )
        saved: list[str] = []
        failed: list[str] = []
        for i, item in enumerate(archived, 1):
            address = item.document.address
            if show_progress:
                sys.stderr.write(f"\ringesting {i}/{len(archived)}: {one_line(address, 60):<60}")
            try:
                result = pipeline.ingest(store, item)
            except VerifyError as exc:
                failed.append(address)
                if show_progress:
                    sys.stderr.write("\n")
                err(f"{address}: {exc}; nothing from it was saved")
                if args.json:
                    failure = {"address": address, "saved": False, "error": str(exc)}
                    out(json_line({"document": item.document.id, **failure}))
                continue
            saved.append(address)
            for warning in result.warnings:
                err(f"warning: {warning}")
            if args.json:
                out(json_line(result.as_json()))
            totals["documents"] += int(result.new_document)
            for key in ("sentences", "candidates", "groups", "attached", "duplicates"):
                totals[key] += getattr(result, key)
            totals["claims"] += len(result.claims)
            if not result.new_document and not args.json:
                err(f"{one_line(address)}: already archived, nothing added")
        if show_progress:
            sys.stderr.write("\n")
    if not args.json:
        out(
            f"{totals['documents']} document(s), {totals['sentences']} sentences, "
            f"{totals['candidates']} candidates, {totals['groups']} groups: "
            f"{totals['claims']} claims proposed, {totals['attached']} accounts added to "
            f"existing claims, {totals['duplicates']} duplicates skipped"
        )
    if failed:
        err(
            f"saved {len(saved)} of {len(archived)} sources"
            + (f" ({', '.join(saved)})" if saved else "")
            + f"; not saved: {', '.join(failed)}"
        )
        return 1
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from verify.ingest import pipeline
    from verify.models import utcnow

    archived = _read_archived(args.src, utcnow(), args.timeout)
    for warning in archived.warnings:
        err(f"warning: {warning}")
    analysis = pipeline.extract(archived.document.text)
    for cand in analysis.candidates:
        if args.json:
            out(json_line(cand.as_json()))
        else:
            who = f"{one_line(cand.speaker)} ({cand.verb})" if cand.speaker else "unattributed"
            anon = ", unnamed" if cand.anonymous else ""
            out(f"{cand.group}\t{cand.score:.2f}\t{who}{anon}\t{one_line(cand.text, 160)}")
    if not args.json:
        err(
            f"{analysis.sentences} sentences, {len(analysis.candidates)} candidates, "
            f"{analysis.groups} groups"
        )
    return 0


def _read_all(src: str, at: Any, timeout: float | None = None) -> list[Any]:
    from verify.capture.reading import read_sources

    return read_sources(src, at, timeout)


def _read_archived(src: str, at: Any, timeout: float | None = None) -> Any:
    from verify.ingest import documents

    if src.startswith(("http://", "https://")):
        from verify.capture.reading import read_url

        return read_url(src, at, timeout=timeout)
    raw, address, media = documents.read_source(src, timeout=timeout)
    return documents.archive(raw, address, media, retrieved=at)


def cmd_quote(args: argparse.Namespace) -> int:
    from verify import anchor
    from verify.importers import read_text
    from verify.models import TextQuote

    text = read_text(args.source)
    if args.quote is not None:
        if not args.quote.strip():
            raise VerifyError("the quote is empty")
        if len(args.quote) > len(text):
            raise VerifyError("the quote is longer than the source text")
        found = anchor.locate(text, TextQuote(exact=args.quote))
        result = _quote_result(found)
        if args.json:
            out(json_line(result))
        elif found.found:
            kind = "exact" if found.exact else f"approximate ({found.score:.0f}%)"
            out(
                f"found, {kind}, at {found.start}-{found.end}: "
                f"{one_line(text[found.start : found.end], 200)}"
            )
        else:
            out("not found")
            return 1
        return 0
    for obj in json_requests("quote"):
        quote = obj["quote"]
        found = anchor.locate(text, TextQuote(exact=quote)) if quote.strip() else anchor.NOT_FOUND
        out(json_line({"id": obj.get("id"), **_quote_result(found)}))
    return 0


def _quote_result(found: Any) -> dict[str, Any]:
    return {
        "found": found.found,
        "exact": found.exact,
        "score": found.score,
        "start": found.start if found.found else None,
        "end": found.end if found.found else None,
    }


def cmd_match(args: argparse.Namespace) -> int:
    if args.top < 1 or args.top > 100:
        raise VerifyError("--top must be between 1 and 100")
    with open_store(args) as store:
        if args.text is not None:
            if not args.text.strip():
                raise VerifyError("the query is empty")
            found = store.similar(args.text, top=args.top)
            if args.json:
                out(json_line({"query": args.text[:200], "matches": [m.as_json() for m in found]}))
            elif not found:
                out("no earlier check looks like this")
            for m in found if not args.json else []:
                out(f"{m.score:.2f}\t{m.claim_id}\t{m.verdict or '-'}\t{one_line(m.text, 120)}")
            return 0
        for obj in json_requests("text"):
            found = store.similar(obj["text"], top=args.top) if obj["text"].strip() else []
            out(json_line({"id": obj.get("id"), "matches": [m.as_json() for m in found]}))
    return 0


TIMEOUT_HELP = "give up on a URL after this many seconds in all (default 30)"


def register(add: Add) -> None:
    p = add("ingest", cmd_ingest, "archive sources and propose their check-worthy claims")
    p.add_argument(
        "src",
        nargs="+",
        help="file (.txt, .md, .html, .warc, .warc.gz, .wacz), '-' for stdin, http(s) URL",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help=TIMEOUT_HELP)

    p = add("extract", cmd_extract, "show claim candidates in a source without saving")
    p.add_argument("src", help="file (.txt, .md, .html), '-' for stdin, http(s) URL")
    p.add_argument("--json", action="store_true", help="one JSON object per candidate")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help=TIMEOUT_HELP)

    p = add("quote", cmd_quote, "locate a quote in a text file (catches misquotes)")
    p.add_argument("--source", required=True, help="text file to search")
    p.add_argument("--quote", help="the quote; without it, reads JSON lines {id, quote}")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("match", cmd_match, 'find earlier checks of a claim ("already checked?")')
    p.add_argument("text", nargs="?", help="the claim; without it, reads JSON lines {id, text}")
    p.add_argument("--top", type=int, default=5, help="how many matches (default 5)")
    p.add_argument("--json", action="store_true", help="print JSON")

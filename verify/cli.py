"""The `verify` command: parse, call the core, print. Errors are one line on stderr, exit 1."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verify import grading, paths
from verify.errors import VerifyError
from verify.store import Store
from verify.textsafe import clean, json_line, one_line

Handler = Callable[[argparse.Namespace], int]


def _err(message: str) -> None:
    print(f"verify: {one_line(message)}", file=sys.stderr)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


IMPORT_FORMATS = ("auto", "json", "jsonl", "tsv", "csv", "claimreview")


def open_store(args: argparse.Namespace, create: bool = False) -> Store:
    path, is_default = paths.casebook_path(getattr(args, "casebook", None))
    return Store.open(path, create=create or is_default)


def write_output(text: str | Iterable[str], dest: str | None) -> None:
    """Print, or write atomically so a reader never sees half a report."""
    chunks = [text] if isinstance(text, str) else text
    if dest is None or dest == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    target = Path(dest)
    if target.is_dir():
        raise VerifyError(f"{target} is a directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    except OSError as exc:
        raise VerifyError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        # Disk full or interrupted: leave no half-written file behind, keep any old one.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise VerifyError(f"cannot write {target}: {exc.strerror}") from None
        raise


# -- commands ------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.verdict and store.settings().label(args.verdict) is None:
            raise VerifyError(f"unknown verdict label {args.verdict!r}")
        rows = store.summaries(verdict=args.verdict, status=args.status)
    width = 100 if sys.stdout.isatty() else None
    for r in rows:
        if args.json:
            _out(json_line(r.model_dump()))
        else:
            _out(
                f"{r.id}\t{r.verdict or '-'}\t{r.status}\t{r.accounts}a/{r.evidence}e\t"
                f"{one_line(r.text, width)}"
            )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from verify.report.text import claim_text

    with open_store(args) as store:
        claim = store.get_claim(args.id)
        if args.json:
            _out(json_line(claim.model_dump(mode="json")))
            return 0
        sources, documents = store.sources_for(claim), store.documents_for(claim)
        _out(claim_text(claim, store.settings(), sources, documents))
    return 0


def cmd_verdict(args: argparse.Namespace) -> int:
    from verify import actions

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
                _err(f"warning: {warning}; recorded as confirmed")

        def edit(c: Any) -> Any:
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
    _out(f"{new.id}: {label.label} (revision {new.revision})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from verify.importers import import_file

    def progress(done: int, total: int) -> None:
        # Encoding is the slow part of a big import (about 6 ms a claim): show it moving.
        if total >= 1000:
            sys.stderr.write(f"\rencoding claims {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

    with open_store(args, create=True) as store:
        counts = import_file(
            store, args.file, args.format, progress if sys.stderr.isatty() else None
        )
    _out(", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from verify import portable
    from verify.report import claimreview, markdown

    with open_store(args) as store:
        if args.format == "json":
            if args.claim:
                raise VerifyError("--claim goes with --format md or claimreview")
            text = portable.dumps(portable.export_casebook(store))
        elif args.format == "claimreview":
            claims = [store.get_claim(args.claim)] if args.claim else list(store.iter_claims())
            documents = {d.id: d for d in store.documents()}
            objs = claimreview.reviews(claims, store.settings(), documents)
            if args.claim and not objs:
                raise VerifyError(f"claim {args.claim} has no verdict to publish")
            text = json.dumps(objs, ensure_ascii=False, indent=2) + "\n"
        else:
            if args.claim:
                text = markdown.claim_report(store, store.get_claim(args.claim))
            else:
                write_output(markdown.casebook_chunks(store), args.output)
                text = None
    if text is not None:
        write_output(text, args.output)
    if args.output and args.output != "-":
        _err(f"wrote {args.output}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from verify.integrity import check

    with open_store(args) as store:
        findings = check(store)
        n_claims, n_docs = store.count_claims(), len(store.documents())
    damage = [f for f in findings if f.severity == "damage"]
    for f in findings:
        _out(f"{f.severity}: {one_line(f.where)}: {one_line(f.message)}")
    _out(
        f"checked {n_claims} claims, {n_docs} documents: "
        f"{len(damage)} damaged, {len(findings) - len(damage)} drifted"
    )
    if damage:
        _err(f"casebook is damaged ({len(damage)} problem(s))")
        return 1
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    keys = {"name": "name", "publisher.name": "publisher_name", "publisher.url": "publisher_url"}
    with open_store(args, create=args.action == "set") as store:
        settings = store.settings()
        if args.action == "get":
            for key, attr in keys.items():
                if args.key in (None, key):
                    _out(f"{key}\t{one_line(getattr(settings, attr))}")
            if args.key is not None and args.key not in keys:
                raise VerifyError(f"unknown setting {args.key!r} (known: {', '.join(keys)})")
            return 0
        if args.key not in keys:
            raise VerifyError(f"unknown setting {args.key!r} (known: {', '.join(keys)})")
        if args.value is None:
            raise VerifyError("config set needs a value")
        store.set_settings(settings.model_copy(update={keys[args.key]: args.value}))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        dest = (
            Path(args.dest)
            if args.dest
            else store.path.with_name(
                store.path.name + "." + store.clock().strftime("%Y%m%dT%H%M%SZ") + ".bak"
            )
        )
        if dest.exists():
            raise VerifyError(f"{dest} already exists")
        try:
            store.backup(dest)
        except OSError as exc:
            raise VerifyError(f"cannot write backup {dest}: {exc.strerror}") from None
    _out(str(dest))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from verify.integrity import check

    backup = Path(args.backup)
    target, _ = paths.casebook_path(args.casebook)
    if backup.resolve() == target.resolve():
        raise VerifyError("the backup and the casebook are the same file")
    with Store.open(backup, create=False) as source:
        damage = [f for f in check(source) if f.severity == "damage"]
        if damage:
            raise VerifyError(f"{backup} is damaged too: {damage[0].where}: {damage[0].message}")
        tmp = target.with_name(f".{target.name}.restoring")
        source.backup(tmp)
    aside = None
    if target.exists():
        # Never delete what was there: keep it beside, with its WAL files, for inspection.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = target.with_name(f"{target.name}.replaced-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{target}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{aside}{suffix}"))
    os.replace(tmp, target)
    with Store.open(target, create=False):  # migrates an older backup, after its own backup
        pass
    _out(f"restored {target} from {backup}" + (f"; the previous file is {aside}" if aside else ""))
    return 0


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
            _out(json_line(result))
        elif found.found:
            kind = "exact" if found.exact else f"approximate ({found.score:.0f}%)"
            _out(
                f"found, {kind}, at {found.start}-{found.end}: "
                f"{one_line(text[found.start : found.end], 200)}"
            )
        else:
            _out("not found")
            return 1
        return 0
    for obj in _json_requests("quote"):
        quote = obj["quote"]
        found = anchor.locate(text, TextQuote(exact=quote)) if quote.strip() else anchor.NOT_FOUND
        _out(json_line({"id": obj.get("id"), **_quote_result(found)}))
    return 0


def _quote_result(found: Any) -> dict[str, Any]:
    return {
        "found": found.found,
        "exact": found.exact,
        "score": found.score,
        "start": found.start if found.found else None,
        "end": found.end if found.found else None,
    }


def _json_requests(field: str) -> Iterator[dict[str, Any]]:
    """JSON lines {"id", FIELD} from standard input; a bad line stops with its number."""
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise VerifyError(f"line {lineno}: not valid JSON") from None
        if not isinstance(obj, dict) or not isinstance(obj.get(field), str):
            raise VerifyError(f'line {lineno}: expected {{"id", "{field}"}}')
        yield obj


def cmd_match(args: argparse.Namespace) -> int:
    if args.top < 1 or args.top > 100:
        raise VerifyError("--top must be between 1 and 100")
    with open_store(args) as store:
        if args.text is not None:
            if not args.text.strip():
                raise VerifyError("the query is empty")
            found = store.similar(args.text, top=args.top)
            if args.json:
                _out(json_line({"query": args.text[:200], "matches": [m.as_json() for m in found]}))
            elif not found:
                _out("no earlier check looks like this")
            for m in found if not args.json else []:
                _out(f"{m.score:.2f}\t{m.claim_id}\t{m.verdict or '-'}\t{one_line(m.text, 120)}")
            return 0
        for obj in _json_requests("text"):
            found = store.similar(obj["text"], top=args.top) if obj["text"].strip() else []
            _out(json_line({"id": obj.get("id"), "matches": [m.as_json() for m in found]}))
    return 0


def _read_archived(src: str, at: Any) -> Any:
    from verify.ingest import documents

    raw, address, media = documents.read_source(src)
    return documents.archive(raw, address, media, retrieved=at)


def cmd_extract(args: argparse.Namespace) -> int:
    from verify.ingest import pipeline
    from verify.models import utcnow

    archived = _read_archived(args.src, utcnow())
    for warning in archived.warnings:
        _err(f"warning: {warning}")
    analysis = pipeline.extract(archived.document.text)
    for cand in analysis.candidates:
        if args.json:
            _out(json_line(cand.as_json()))
        else:
            who = f"{one_line(cand.speaker)} ({cand.verb})" if cand.speaker else "unattributed"
            anon = ", unnamed" if cand.anonymous else ""
            _out(f"{cand.group}\t{cand.score:.2f}\t{who}{anon}\t{one_line(cand.text, 160)}")
    if not args.json:
        _err(
            f"{analysis.sentences} sentences, {len(analysis.candidates)} candidates, "
            f"{analysis.groups} groups"
        )
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from verify.ingest import pipeline

    if args.src.count("-") > 1:
        raise VerifyError("standard input ('-') can be given only once")
    with open_store(args, create=True) as store:
        # Read and check every source before writing anything: a bad one changes nothing.
        archived = []
        show_progress = sys.stderr.isatty() and len(args.src) > 1
        for i, src in enumerate(args.src, 1):
            if show_progress:
                sys.stderr.write(f"\rreading {i}/{len(args.src)}: {one_line(src, 60):<60}")
            archived.append(_read_archived(src, store.clock()))
        totals = {
            "documents": 0,
            "sentences": 0,
            "candidates": 0,
            "groups": 0,
            "claims": 0,
            "attached": 0,
            "duplicates": 0,
        }
        for i, item in enumerate(archived, 1):
            if show_progress:
                sys.stderr.write(
                    f"\ringesting {i}/{len(archived)}: {one_line(item.document.address, 60):<60}"
                )
            result = pipeline.ingest(store, item)
            for warning in result.warnings:
                _err(f"warning: {warning}")
            if args.json:
                _out(json_line(result.as_json()))
            totals["documents"] += int(result.new_document)
            for key in ("sentences", "candidates", "groups", "attached", "duplicates"):
                totals[key] += getattr(result, key)
            totals["claims"] += len(result.claims)
            if not result.new_document and not args.json:
                _err(f"{one_line(item.document.address)}: already archived, nothing added")
        if show_progress:
            sys.stderr.write("\n")
    if not args.json:
        _out(
            f"{totals['documents']} document(s), {totals['sentences']} sentences, "
            f"{totals['candidates']} candidates, {totals['groups']} groups: "
            f"{totals['claims']} claims proposed, {totals['attached']} accounts added to "
            f"existing claims, {totals['duplicates']} duplicates skipped"
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from verify.sample import fresh_demo_casebook

    path = fresh_demo_casebook()
    print(f"demo casebook: {path}", file=sys.stderr)
    preflight(path)
    return run_tui(path)


def run_tui(path: Path) -> int:
    from verify.ui.app import run

    return run(path)


def cmd_tui(args: argparse.Namespace) -> int:
    if args.path:
        path = Path(args.path)
    else:
        path, _ = paths.casebook_path(args.casebook)
    if not path.exists():
        _err(f"starting a new casebook at {path}")
    preflight(path)
    return run_tui(path)


def preflight(path: Path) -> None:
    """Refuse, with one line, a casebook the TUI could not work on, before the screen
    switches: damaged, from a newer verify, or not a casebook."""
    import sqlite3

    with Store.open(path, create=True) as store:
        try:
            store.count_claims()
            store.summaries(limit=50)
            store.settings()
        except sqlite3.DatabaseError as exc:
            raise VerifyError(
                f"{path} is damaged ({exc}); `verify check` names the damage, "
                "`verify restore BACKUP` brings back a backup"
            ) from None


# -- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--casebook",
        metavar="PATH",
        help="casebook file (default: $VERIFY_CASEBOOK or the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="verify",
        description="A terminal workbench for fact-checkers. Without a command, opens the TUI.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    add("demo", cmd_demo, "open the TUI on a fresh copy of the sample casebook")

    p = add("ingest", cmd_ingest, "archive sources and propose their check-worthy claims")
    p.add_argument("src", nargs="+", help="file (.txt, .md, .html), '-' for stdin, http(s) URL")
    p.add_argument("--json", action="store_true", help="one JSON object per document")

    p = add("extract", cmd_extract, "show claim candidates in a source without saving")
    p.add_argument("src", help="file (.txt, .md, .html), '-' for stdin, http(s) URL")
    p.add_argument("--json", action="store_true", help="one JSON object per candidate")

    p = add("import", cmd_import, "import claims: portable JSON, JSON lines, TSV/CSV, ClaimReview")
    p.add_argument("file", help="file to import, '-' for standard input")
    p.add_argument("--format", choices=IMPORT_FORMATS, default="auto")

    p = add("quote", cmd_quote, "locate a quote in a text file (catches misquotes)")
    p.add_argument("--source", required=True, help="text file to search")
    p.add_argument("--quote", help="the quote; without it, reads JSON lines {id, quote}")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("match", cmd_match, 'find earlier checks of a claim ("already checked?")')
    p.add_argument("text", nargs="?", help="the claim; without it, reads JSON lines {id, text}")
    p.add_argument("--top", type=int, default=5, help="how many matches (default 5)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("list", cmd_list, "list claims")
    p.add_argument("--verdict", metavar="LABEL", help="only claims with this verdict")
    p.add_argument("--status", choices=["proposed", "open", "decided", "dropped"])
    p.add_argument("--json", action="store_true", help="one JSON object per line")

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

    p = add("export", cmd_export, "export the casebook or one claim")
    p.add_argument("--format", choices=["md", "claimreview", "json"], default="md")
    p.add_argument("--claim", metavar="ID")
    p.add_argument("-o", "--output", metavar="PATH", help="file to write (default: stdout)")

    add("check", cmd_check, "check integrity: hashes, anchors, records, schema")

    p = add("config", cmd_config, "get or set casebook settings (name, publisher.name, ...)")
    p.add_argument("action", choices=["get", "set"])
    p.add_argument("key", nargs="?")
    p.add_argument("value", nargs="?")

    p = add("backup", cmd_backup, "write a consistent copy of the casebook")
    p.add_argument("dest", nargs="?", help="backup file (default: beside the casebook)")

    p = add("restore", cmd_restore, "replace the casebook with a backup (the old file is kept)")
    p.add_argument("backup", help="a backup from `verify backup` or from a migration (.bak)")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except VerifyError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`verify list | head`); not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:
        _err("out of memory")
        return 1
    except OSError as exc:
        _err(f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}")
        return 1
    except Exception as exc:  # never a traceback for a user; VERIFY_DEBUG shows it
        if os.environ.get("VERIFY_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {clean(str(exc))[:200]}")
        return 1


def commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def _first_word(argv: list[str]) -> str | None:
    """The first argument that is neither an option nor the value of --casebook."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--casebook":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _main(argv: list[str]) -> int:
    parser = build_parser()
    first = _first_word(argv)
    if first is None or first not in commands(parser):
        # `verify [CASEBOOK]`: the TUI, with an optional casebook path.
        tui = argparse.ArgumentParser(prog="verify", parents=[], add_help=False)
        tui.add_argument("--casebook")
        tui.add_argument("path", nargs="?")
        tui.add_argument("-h", "--help", action="store_true")
        ns, rest = tui.parse_known_args(argv)
        if ns.help or rest:
            if rest:
                parser.print_usage(sys.stderr)
                _err(f"unknown command or option: {' '.join(rest)}")
                return 2
            parser.print_help()
            return 0
        return cmd_tui(ns)
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())

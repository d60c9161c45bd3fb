"""The casebook as a whole: import, export, check, settings, backup and restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from verify import paths
from verify.cli.common import Add, err, open_store, out, write_output
from verify.errors import VerifyError
from verify.textsafe import one_line

IMPORT_FORMATS = ("auto", "json", "jsonl", "tsv", "csv", "claimreview")


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
            store,
            args.file,
            args.format,
            progress if sys.stderr.isatty() else None,
            warn=lambda m: err(f"warning: {m}"),
        )
    out(", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from verify import portable
    from verify.report import claimreview, markdown

    text: str | bytes | None
    with open_store(args) as store:
        if args.format == "wacz":
            from verify.capture import wacz

            if not args.output and sys.stdout.isatty():
                raise VerifyError("a WACZ is a zip file: give -o FILE.wacz")
            write_output(wacz.export(store, args.claim), args.output)
            text = None
        elif args.format == "json":
            if args.claim:
                raise VerifyError("--claim goes with --format md, claimreview or wacz")
            text = portable.dumps(portable.export_casebook(store))
        elif args.format == "claimreview":
            claims = [store.get_claim(args.claim)] if args.claim else list(store.iter_claims())
            documents = {d.id: d for d in store.documents()}
            if args.claim and claims[0].verdict is None:
                raise VerifyError(f"claim {args.claim} has no verdict to publish")
            text = claimreview.export_text(
                claims, store.settings(), documents, lambda m: err(f"warning: {m}")
            )
        else:
            if args.claim:
                text = markdown.claim_report(store, store.get_claim(args.claim))
            else:
                write_output(markdown.casebook_chunks(store), args.output)
                text = None
    if text is not None:
        write_output(text, args.output)
    if args.output and args.output != "-":
        err(f"wrote {args.output}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from verify.capture.table import has_table
    from verify.integrity import check

    with open_store(args) as store:
        findings = check(store)
        n_claims = store.count_claims()
        n_docs = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        conn = store.conn
        n_captures = (
            conn.execute("SELECT count(*) FROM captures").fetchone()[0] if has_table(conn) else 0
        )
    damage = [f for f in findings if f.severity == "damage"]
    for f in findings:
        out(f"{f.severity}: {one_line(f.where)}: {one_line(f.message)}")
    out(
        f"checked {n_claims} claims, {n_docs} documents, {n_captures} web captures: "
        f"{len(damage)} damaged, {len(findings) - len(damage)} drifted"
    )
    if damage:
        err(f"casebook is damaged ({len(damage)} problem(s))")
        return 1
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    keys = {"name": "name", "publisher.name": "publisher_name", "publisher.url": "publisher_url"}
    with open_store(args, create=args.action == "set") as store:
        settings = store.settings()
        if args.action == "get":
            for key, attr in keys.items():
                if args.key in (None, key):
                    out(f"{key}\t{one_line(getattr(settings, attr))}")
            if args.key is not None and args.key not in keys:
                raise VerifyError(f"unknown setting {args.key!r} (known: {', '.join(keys)})")
            return 0
        if args.key not in keys:
            raise VerifyError(f"unknown setting {args.key!r} (known: {', '.join(keys)})")
        if args.value is None:
            raise VerifyError("config set needs a value")
        attr, value = keys[args.key], args.value
        # Read, change and write inside one transaction: two at once both land.
        store.update_settings(lambda s: s.model_copy(update={attr: value}), "settings.update")
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
        # Each backend writes a portable SQLite casebook: a file by SQLite's online backup,
        # a server casebook row for row from one snapshot.
        store.backup(dest)
    out(str(dest))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from verify.restore import restore

    backup = Path(args.backup)
    target, _ = paths.casebook_path(args.casebook)
    aside = restore(backup, target)
    out(f"restored {target} from {backup}" + (f"; the previous file is {aside}" if aside else ""))
    return 0


def register(add: Add) -> None:
    p = add("import", cmd_import, "import claims: portable JSON, JSON lines, TSV/CSV, ClaimReview")
    p.add_argument("file", help="file to import, '-' for standard input")
    p.add_argument("--format", choices=IMPORT_FORMATS, default="auto")

    p = add("export", cmd_export, "export the casebook or one claim")
    p.add_argument("--format", choices=["md", "claimreview", "json", "wacz"], default="md")
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

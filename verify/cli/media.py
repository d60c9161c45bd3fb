"""`verify media FILE`: a photo's or video's metadata, and whether the casebook has seen it."""

from __future__ import annotations

import argparse

from verify.cli.common import Add, open_store, out
from verify.textsafe import json_line, one_line


def cmd_media(args: argparse.Namespace) -> int:
    from verify.ingest.documents import MAX_BYTES
    from verify.inputs import read_input
    from verify.media import index

    raw, name = read_input(args.file, MAX_BYTES)
    with open_store(args) as store:
        info, hits = index.look_up(store.conn, raw, name)
    if args.json:
        out(json_line(index.report(info, hits)))
    else:
        for label, value in index.facts(info, hits):
            out(f"{label}: {one_line(value)}")
    return 0


def register(add: Add) -> None:
    p = add("media", cmd_media, 'a photo or video: metadata, perceptual hash, "seen before?"')
    p.add_argument("file", metavar="FILE", help="the photo or video ('-': standard input)")
    p.add_argument("--json", action="store_true", help="print one JSON object")

"""Sources: list them with how much cites them, merge two into one."""

from __future__ import annotations

import argparse

from verify.cli.common import Add, open_store, out
from verify.textsafe import json_line, one_line


def cmd_sources(args: argparse.Namespace) -> int:
    from verify import editing

    words = args.words
    if words:
        if words[0] != "merge" or len(words) != 3:
            args.parser.error("use `verify sources` or `verify sources merge KEEP_ID OTHER_ID`")
        with open_store(args) as store:
            keep, changed = editing.merge_sources(store, words[1], words[2])
        out(
            f"merged {words[2]} into {keep.id} '{one_line(keep.name, 60)}': "
            f"{len(changed)} claim(s) now cite it (verify undo takes it back)"
        )
        return 0
    with open_store(args) as store:
        uses = editing.source_uses(store)
    for use in uses:
        if args.json:
            out(json_line(use.as_json()))
        else:
            out(
                f"{use.source.id}\t{use.source.grade}\t{use.accounts}a/{use.evidence}e\t"
                f"{one_line(use.source.name, 80)}"
            )
    return 0


def register(add: Add) -> None:
    p = add("sources", cmd_sources, "list sources (id, grade, accounts/evidence citing them)")
    p.add_argument("words", nargs="*", metavar="merge KEEP_ID OTHER_ID", help="merge two sources")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(parser=p)

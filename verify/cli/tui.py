"""The TUI from the command line: a casebook, or a fresh demo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from verify import paths
from verify.cli.common import Add, err
from verify.errors import VerifyError


def cmd_demo(args: argparse.Namespace) -> int:
    from verify.sample import fresh_demo_casebook

    path = fresh_demo_casebook()
    print(f"demo casebook: {path}", file=sys.stderr)
    preflight(path)
    return run_tui(path)


def cmd_tui(args: argparse.Namespace, commands: list[str] | None = None) -> int:
    if args.path:
        path, is_default = Path(args.path), False
    else:
        path, is_default = paths.casebook_path(args.casebook)
    paths.refuse_special(path)
    if not path.exists():
        # A mistyped command must not quietly become a casebook: a new one is asked for by
        # its extension or by `verify new`.
        if not is_default and path.suffix != ".casebook":
            import difflib  # only for this message; every other start goes without it

            near = difflib.get_close_matches(str(args.path or ""), commands or [], n=1)
            hint = f" (did you mean `verify {near[0]}`?)" if near else ""
            raise VerifyError(f"no casebook at {path}{hint}; `verify new {path}` makes a new one")
        err(f"starting a new casebook at {path}")
    preflight(path)
    return run_tui(path)


def cmd_new(args: argparse.Namespace) -> int:
    from verify.store import Store

    path = Path(args.path)
    paths.refuse_special(path)
    if path.exists() or path.is_symlink():
        raise VerifyError(f"{path} already exists; `verify {path}` opens it")
    with Store.open(path, create=True):
        pass
    err(f"new casebook at {path}; `verify {path}` opens it")
    return 0


def preflight(path: Path) -> None:
    """Refuse, with one line, a casebook the TUI could not work on, before the screen
    switches: damaged, from a newer verify, or not a casebook."""
    import sqlite3

    from verify.store import Store

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


def run_tui(path: Path) -> int:
    from verify.ui.app import run

    return run(path)


def register(add: Add) -> None:
    add("demo", cmd_demo, "open the TUI on a fresh copy of the sample casebook")
    p = add("new", cmd_new, "make a new, empty casebook at PATH")
    p.add_argument("path", metavar="PATH")

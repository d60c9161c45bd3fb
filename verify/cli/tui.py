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
    where, is_default = paths.casebook_location(args.path or args.casebook)
    if isinstance(where, str):  # a casebook on a server: it must exist (`verify new` makes one)
        preflight(where, create=False)
        return run_tui(where)
    path = where
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

    if args.path.startswith(paths.SERVER_SCHEMES):
        _refuse_existing(args.path)
        with Store.open(args.path, create=True) as store:
            err(f"new casebook at {store.name}")
        return 0
    path = Path(args.path)
    paths.refuse_special(path)
    if path.exists() or path.is_symlink():
        raise VerifyError(f"{path} already exists; `verify {path}` opens it")
    with Store.open(path, create=True):
        pass
    err(f"new casebook at {path}; `verify {path}` opens it")
    return 0


def _refuse_existing(address: str) -> None:
    from verify.store import Store

    try:
        with Store.open(address, create=False):
            pass
    except VerifyError as exc:
        if str(exc).startswith("no casebook at"):
            return
        raise
    raise VerifyError(f"there is a casebook at {address.split('@')[-1]} already")


def preflight(path: Path | str, create: bool = True) -> None:
    """Refuse, with one line, a casebook the TUI could not work on, before the screen
    switches: damaged, from a newer verify, or not a casebook."""
    import sqlite3

    from verify.store import Store

    with Store.open(path, create=create) as store:
        try:
            store.count_claims()
            store.summaries(limit=50)
            store.settings()
        except sqlite3.DatabaseError as exc:
            raise VerifyError(
                f"{path} is damaged ({exc}); `verify check` names the damage, "
                "`verify restore BACKUP` brings back a backup"
            ) from None


def run_tui(path: Path | str) -> int:
    from verify.ui.app import run

    return run(path)


def register(add: Add) -> None:
    add("demo", cmd_demo, "open the TUI on a fresh copy of the sample casebook")
    p = add("new", cmd_new, "make a new, empty casebook at PATH")
    p.add_argument("path", metavar="PATH")

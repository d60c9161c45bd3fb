"""The TUI from the command line: a casebook, or a fresh demo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from verify import paths
from verify.cli.common import Add, err
from verify.errors import VerifyError
from verify.store import Store


def cmd_demo(args: argparse.Namespace) -> int:
    from verify.sample import fresh_demo_casebook

    path = fresh_demo_casebook()
    print(f"demo casebook: {path}", file=sys.stderr)
    preflight(path)
    return run_tui(path)


def cmd_tui(args: argparse.Namespace) -> int:
    if args.path:
        path = Path(args.path)
    else:
        path, _ = paths.casebook_path(args.casebook)
    if not path.exists():
        err(f"starting a new casebook at {path}")
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


def run_tui(path: Path) -> int:
    from verify.ui.app import run

    return run(path)


def register(add: Add) -> None:
    add("demo", cmd_demo, "open the TUI on a fresh copy of the sample casebook")

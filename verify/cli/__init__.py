"""The `verify` command: parse, call the core, print. Errors are one line on stderr, exit 1.

Each module here registers its subcommands; this one builds the parser and turns every
error into one line.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from verify.cli import (
    analysis,
    casebook,
    claims,
    desk,
    edit,
    evidence,
    media,
    search,
    sources,
    tui,
)
from verify.cli.common import Handler, err, write_output
from verify.errors import VerifyError
from verify.textsafe import clean

__all__ = ["build_parser", "commands", "main", "write_output"]

COMMAND_MODULES = (tui, analysis, claims, desk, edit, evidence, media, sources, search, casebook)
"""In the order `--help` lists their commands."""


CASEBOOK_HELP = "casebook file (default: $VERIFY_CASEBOOK or the user data folder)"


class _Unused(argparse.ArgumentParser):
    """Takes the options of a command that is not being run, and keeps none of them: building
    the two dozen parsers costs a one-shot command a third of a bare Python start-up."""

    def __init__(self) -> None:
        pass

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        return None

    def add_mutually_exclusive_group(self, **kwargs: Any) -> Any:
        return self

    def set_defaults(self, **kwargs: Any) -> None:
        pass


class _Formatter(argparse.HelpFormatter):
    """argparse's layout, with the terminal's width found as shutil finds it but without
    importing shutil (and the compression modules it brings): every parser makes formatters
    while options are added, also when no help is printed."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0 and sys.__stdout__ is not None:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only`, a parser for that one command (and none if
    there is no such command)."""
    parser = argparse.ArgumentParser(
        prog="verify",
        description="A terminal workbench for fact-checkers. Without a command, opens the TUI.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--casebook", metavar="PATH", help=CASEBOOK_HELP)
    # A subcommand's --casebook defaults to "not given", so one given before the command is
    # not overwritten by the subparser's default (argparse copies sub-defaults over).
    common = argparse.ArgumentParser(add_help=False, formatter_class=_Formatter)
    common.add_argument("--casebook", metavar="PATH", default=argparse.SUPPRESS, help=CASEBOOK_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return _Unused()
        p = sub.add_parser(
            name, parents=[common], help=help_, description=help_, formatter_class=_Formatter
        )
        p.set_defaults(handler=handler)
        return p

    for module in COMMAND_MODULES:
        module.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except VerifyError as exc:
        err(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`verify list | head`); not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:
        err("out of memory")
        return 1
    except OSError as exc:
        err(f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}")
        return 1
    except Exception as exc:  # never a traceback for a user; VERIFY_DEBUG shows it
        if os.environ.get("VERIFY_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {clean(str(exc))[:200]}")
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
    first = _first_word(argv)
    parser = build_parser(only=first)
    if first is None or first not in commands(parser):
        parser = build_parser()
        # `verify [CASEBOOK]`: the TUI, with an optional casebook path.
        bare = argparse.ArgumentParser(
            prog="verify", parents=[], add_help=False, formatter_class=_Formatter
        )
        bare.add_argument("--casebook")
        bare.add_argument("path", nargs="?")
        bare.add_argument("-h", "--help", action="store_true")
        ns, rest = bare.parse_known_args(argv)
        if ns.help or rest:
            if rest:
                parser.print_usage(sys.stderr)
                err(f"unknown command or option: {' '.join(rest)}")
                return 2
            parser.print_help()
            return 0
        return tui.cmd_tui(ns, commands(parser))
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return handler(args)

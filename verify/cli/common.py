"""What every command shares: the casebook it opens, how it prints, how it writes a file."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from verify import paths
from verify.errors import VerifyError
from verify.filesafety import partial_path
from verify.store import Store
from verify.textsafe import one_line

Handler = Callable[[argparse.Namespace], int]


class Add(Protocol):
    """Registers a subcommand: its name, handler and one-line help; returns its parser."""

    def __call__(self, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser: ...


def err(message: str) -> None:
    print(f"verify: {one_line(message)}", file=sys.stderr)


def out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def open_store(args: argparse.Namespace, create: bool = False) -> Store:
    path, is_default = paths.casebook_path(getattr(args, "casebook", None))
    return Store.open(path, create=create or is_default, notice=err)


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
    if target.exists() and not target.is_file():
        # A device or pipe (/dev/null, a FIFO): renaming over it would replace it.
        raise VerifyError(f"{target} is not a regular file; use -o - and redirect instead")
    tmp = partial_path(target)  # hidden, and cleared by the next write if this one is killed
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
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


def json_requests(field: str) -> Iterator[dict[str, Any]]:
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

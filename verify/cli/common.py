"""What every command shares: the casebook it opens, how it prints, how it writes a file."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from verify import paths
from verify.errors import VerifyError
from verify.filesafety import partial_path
from verify.textsafe import clean, inert, one_line

if TYPE_CHECKING:
    from verify.store import Store

Handler = Callable[[argparse.Namespace], int]


class Add(Protocol):
    """Registers a subcommand: its name, handler and one-line help; returns its parser."""

    def __call__(self, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser: ...


def err(message: str) -> None:
    print(f"verify: {one_line(message)}", file=sys.stderr)


def out(text: str) -> None:
    """Print a line of plain output; anything that could drive the terminal is removed here,
    the one place every command's plain output passes."""
    text = clean(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def open_store(args: argparse.Namespace, create: bool = False) -> Store:
    from verify.store import Store

    where, is_default = paths.casebook_location(getattr(args, "casebook", None))
    if isinstance(where, Path):
        paths.refuse_special(where)
    return Store.open(where, create=create or is_default, notice=err)


def write_output(text: str | bytes | Iterable[str] | Iterable[bytes], dest: str | None) -> None:
    """Print, or write atomically so a reader never sees half a report.

    A symlink is written through (its target is replaced, the link stays); a FIFO or device
    is written directly (renaming over it would destroy it); an existing file keeps its
    mode and a new one gets the user's umask, as any editor would do.
    """
    # Bytes (an attached file) are written as they are, text as UTF-8: one path for both.
    chunks: Iterable[str | bytes] = [text] if isinstance(text, (str, bytes)) else text
    if dest is None or dest == "-":
        for chunk in chunks:
            if isinstance(chunk, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(chunk)
            else:
                sys.stdout.write(inert(chunk))
        return
    target = Path(os.path.realpath(dest))
    if target.is_dir():
        raise VerifyError(f"{dest} is a directory")
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise VerifyError(f"cannot write {dest}: {exc.strerror}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_special(chunks, target, dest)
        return
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    tmp = partial_path(target)  # hidden, and cleared by the next write if this one is killed
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise VerifyError(f"cannot write {dest}: {exc.strerror}") from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(_encoded(chunk))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        # Disk full or interrupted: leave no half-written file behind, keep any old one.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise VerifyError(f"cannot write {dest}: {exc.strerror}") from None
        raise


def _encoded(chunk: str | bytes) -> bytes:
    return chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


def _write_special(chunks: Iterable[str | bytes], target: Path, dest: str) -> None:
    try:
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(_encoded(chunk))
    except OSError as exc:
        raise VerifyError(f"cannot write {dest}: {exc.strerror}") from None


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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

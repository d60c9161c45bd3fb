"""Reading a file or standard input with a size cap, with errors fit to show a user."""

from __future__ import annotations

import sys
from pathlib import Path

from verify.errors import VerifyError


def read_input(src: str, max_bytes: int) -> tuple[bytes, str]:
    """(bytes, name to show) for a path, or '-' for standard input; refuses larger inputs."""
    if src == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "standard input"
    else:
        path = Path(src)
        if path.is_dir():
            raise VerifyError(f"{src} is a directory, not a file")
        if path.exists() and not path.is_file():
            # A FIFO with no writer would block here for ever.
            raise VerifyError(f"{src} is not a regular file")
        try:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise VerifyError(f"cannot read {src}: {exc.strerror}") from None
        name = src
    if len(data) > max_bytes:
        raise VerifyError(f"{name} is larger than {max_bytes // 2**20} MB")
    return data, name

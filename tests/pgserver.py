"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl on 127.0.0.1, a free port.

PostgreSQL refuses to run as root, so when the tests run as root (CI containers) the server
runs as the `postgres` system user through runuser, in a temp folder that user owns. One
cluster serves a whole test session; every test gets a fresh database in it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None when PostgreSQL is missing."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A running cluster; `url(db)` addresses one database in it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user: str | None = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: the package's own system user runs it.
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root and there is no `postgres` user to run PostgreSQL as"
                ) from None
            self.user = "postgres"
        self.root = Path(tempfile.mkdtemp(prefix="verify-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._databases = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> None:
        if self.user is not None:
            shutil.chown(self.root, self.user)
            os.chmod(self.root, 0o700)
        done = self._run(
            "initdb", "-D", str(self.data), "-U", "verify", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o", options,
            "start",
        )  # fmt: skip
        if done.returncode:
            log = (self.root / "log").read_text(errors="replace") if self.data.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()} {log[-500:]}")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://verify@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg

        self._databases += 1
        name = f"t{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Server:
    """Start a cluster; RuntimeError saying why when PostgreSQL or psycopg is missing."""
    bindir = binaries()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed (no pg_ctl on PATH or under /usr/lib/postgresql); "
            "install the postgresql package to run the PostgreSQL backend tests"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise RuntimeError("psycopg is not installed: pip install 'psycopg[binary]'") from None
    server = Server(bindir)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server

"""The media under a casebook: a full disk, read-only files and folders, killed temp files."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import digest
from verify.store import Store

VERIFY = str(Path(sys.executable).parent / "verify")


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system (tmpfs), so the disk really fills up (ENOSPC)."""
    folder = tmp_path / "disk"
    if not _mount_tmpfs(folder, "2m"):
        pytest.skip("needs root to mount a small tmpfs")
    yield folder
    _umount(folder)


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0")
    finally:
        os.close(fd)


def _run(*args: str, casebook: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VERIFY_CASEBOOK": str(casebook)}
    return subprocess.run([VERIFY, *args], env=env, capture_output=True, text=True, timeout=60)


def test_a_full_disk_is_named_not_called_damage(sample_path: Path, small_disk: Path) -> None:
    casebook = small_disk / "desk.casebook"
    shutil.copy(sample_path, casebook)
    before = digest(casebook)
    _fill(small_disk)
    res = _run("verdict", "c-65jxr4wr", "disputed", "--rationale", "x", casebook=casebook)
    assert res.returncode == 1
    assert "disk is full" in res.stderr and "damaged" not in res.stderr
    res = _run("list", casebook=casebook)
    assert "damaged" not in res.stderr
    assert res.returncode == 0 or "disk is full" in res.stderr
    res = _run("backup", casebook=casebook)
    assert res.returncode == 1
    assert len(res.stderr.strip().splitlines()) == 1 and "disk is full" in res.stderr
    assert "internal error" not in res.stderr
    assert not [p.name for p in small_disk.iterdir() if "partial" in p.name]
    (small_disk / "filler").unlink()
    assert digest(casebook) == before
    assert _run("check", casebook=casebook).returncode == 0


KILLED_AT_RENAME = r"""
import os, signal, sys
from verify.cli import main
os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # killed just before the rename
main(sys.argv[1:])
"""


@pytest.mark.parametrize("command", [["backup"], ["export", "-o", "report.md"]])
def test_killed_backups_and_exports_leave_nothing_behind(
    sample_path: Path, tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    casebook = folder / "desk.casebook"
    shutil.copy(sample_path, casebook)
    env = {**os.environ, "VERIFY_CASEBOOK": str(casebook)}
    for _ in range(3):
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_AT_RENAME, *command], env=env, cwd=folder
        )
        assert killed.returncode == -9
        time.sleep(1.1)  # backups are named by the second: each kill leaves its own file
    done = subprocess.run([VERIFY, *command], env=env, cwd=folder, capture_output=True)
    assert done.returncode == 0
    left = sorted(p.name for p in folder.iterdir() if p.name != casebook.name)
    assert len(left) == 1 and not left[0].startswith("."), left


@pytest.fixture
def read_only_media(tmp_path: Path) -> Iterator[tuple[Path, object]]:
    """A folder and a way to make it read-only: a remounted tmpfs as root, chmod otherwise."""
    folder = tmp_path / "media"
    if _mount_tmpfs(folder, "8m"):

        def freeze() -> None:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)

        yield folder, freeze
        _umount(folder)
        return
    folder.mkdir()

    def chmod() -> None:
        for p in folder.iterdir():
            p.chmod(0o444)
        folder.chmod(0o555)

    yield folder, chmod
    folder.chmod(0o755)


def test_a_casebook_on_read_only_media_can_be_read_not_written(
    sample_path: Path, read_only_media: tuple[Path, object]
) -> None:
    folder, freeze = read_only_media
    casebook = folder / "archive.casebook"
    shutil.copy(sample_path, casebook)
    freeze()  # type: ignore[operator]
    assert _run("list", casebook=casebook).returncode == 0
    shown = _run("show", "c-65jxr4wr", casebook=casebook)
    assert shown.returncode == 0, shown.stderr
    checked = _run("check", casebook=casebook)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    res = _run("verdict", "c-65jxr4wr", "disputed", "--rationale", "x", casebook=casebook)
    assert res.returncode == 1
    assert len(res.stderr.strip().splitlines()) == 1 and "writable copy" in res.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["archive.casebook"]


def test_a_wal_casebook_with_its_shm_opens_read_only(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    # As root file modes do not bite, so this takes the read-only path the way a read-only
    # file does for anyone else: the casebook is open elsewhere (its -wal and -shm exist).
    import verify.store.sqlite

    other = Store.open(sample_path)
    other.update_claim("c-65jxr4wr", lambda c: c.model_copy(update={"tags": ["w"]}), "edit")
    monkeypatch.setattr(verify.store.sqlite, "writable", lambda path: False)
    try:
        res = cli("show", "c-65jxr4wr", "--casebook", str(sample_path))
        assert res.code == 0 and "w" in res.out
        assert cli("check", "--casebook", str(sample_path)).code == 0
        res = cli("config", "set", "name", "x", "--casebook", str(sample_path))
        assert res.code == 1 and "writable copy" in res.err
    finally:
        other.close()

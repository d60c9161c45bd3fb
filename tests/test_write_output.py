"""`export -o PATH`: through symlinks, into FIFOs and devices, keeping modes, honouring umask."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from verify.cli.common import write_output


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "report.md"
    shared.parent.mkdir()
    shared.write_text("old report\n")
    link = tmp_path / "report.md"
    link.symlink_to(shared)
    write_output("new report\n", str(link))
    assert link.is_symlink() and os.readlink(link) == str(shared)
    assert shared.read_text() == "new report\n"
    assert sorted(p.name for p in shared.parent.iterdir()) == ["report.md"]


def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_output("through the pipe\n", str(fifo))
    reader.join(10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_null_is_written_directly(monkeypatch) -> None:
    # As root, renaming over /dev/null would replace the device for the whole machine: the
    # rename is intercepted so that a regression fails here without doing that damage.
    calls: list[str] = []

    def no_rename(src, dst, *args, **kwargs):
        calls.append(str(dst))
        raise AssertionError(f"renamed over {dst}")

    monkeypatch.setattr(os, "replace", no_rename)
    monkeypatch.setattr(os, "rename", no_rename)
    write_output("nothing\n", os.devnull)
    assert calls == []
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022) -> None:
    dest = tmp_path / "report.md"
    dest.write_text("old\n")
    dest.chmod(0o640)
    write_output("new\n", str(dest))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o640 and dest.read_text() == "new\n"


def test_a_new_file_gets_the_umask(tmp_path: Path, umask_022) -> None:
    dest = tmp_path / "report.md"
    write_output("new\n", str(dest))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o644


def test_export_writes_through_a_symlink(cli, sample_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    res = cli("export", "-o", str(link), "--casebook", str(sample_path))
    assert res.code == 0, res.err
    assert link.is_symlink() and target.read_text().startswith("#")

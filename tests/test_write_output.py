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


def test_dev_null_is_written_directly(tmp_path: Path, monkeypatch) -> None:
    # Renaming over a device needs a writable /dev; what matters is that no temp file is
    # made beside it and the device is opened for writing.
    opened: list[str] = []
    real_mkstemp = __import__("tempfile").mkstemp

    def spy(*args, **kwargs):
        opened.append("mkstemp")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr("tempfile.mkstemp", spy)
    write_output("nothing\n", os.devnull)
    assert opened == []
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

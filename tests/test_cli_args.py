"""Where arguments go: --casebook in any position, a typo is not a casebook, no FIFO hangs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verify.cli import build_parser, commands
from verify.paths import default_casebook
from verify.store import Store

# Arguments that let each command reach the point where it opens its casebook.
ARGS: dict[str, list[str]] = {
    "ingest": ["SRC"],
    "import": ["SRC"],
    "match": ["a claim"],
    "list": [],
    "show": ["c-1"],
    "verdict": ["c-1", "false"],
    "export": [],
    "check": [],
    "config": ["get"],
    "backup": ["BACKUP"],
    "restore": ["BACKUP"],
}
NO_CASEBOOK = {"demo", "new", "extract", "quote"}


def _args(command: str, tmp_path: Path) -> list[str]:
    src = tmp_path / "src.txt"
    src.write_text("The minister said 25 people died.\n", encoding="utf-8")
    backup = tmp_path / "backup.casebook"
    if command == "restore":
        Store.open(backup).close()
    subst = {"SRC": str(src), "BACKUP": str(backup)}
    return [subst.get(a, a) for a in ARGS[command]]


@pytest.mark.parametrize("before", [True, False], ids=["before", "after"])
@pytest.mark.parametrize("command", sorted(ARGS))
def test_casebook_option_is_honoured_in_every_position(
    cli, tmp_path: Path, command: str, before: bool
) -> None:
    # A directory is no casebook: a command that honours --casebook says so; one that
    # ignored it would quietly work on the default casebook.
    folder = tmp_path / "not-a-book.casebook"
    folder.mkdir()
    opt = ["--casebook", str(folder)]
    argv = (
        [*opt, command, *_args(command, tmp_path)]
        if before
        else [
            command,
            *_args(command, tmp_path),
            *opt,
        ]
    )
    res = cli(*argv)
    assert str(folder) in res.out + res.err, (res.code, res.out, res.err)
    assert not default_casebook().exists()


def test_every_command_is_covered() -> None:
    known = set(ARGS) | NO_CASEBOOK
    assert {"list", "restore", "new"} <= set(commands(build_parser()))
    assert known & set(commands(build_parser())) == known


def test_casebook_before_the_command_lists_that_casebook(cli, sample_path: Path) -> None:
    assert len(cli("--casebook", str(sample_path), "list").out.splitlines()) == 6
    assert len(cli("--casebook", str(sample_path), "list", "--json").json_lines()) == 6


def test_a_mistyped_command_creates_nothing(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = cli("lsit")
    assert res.code == 1 and "did you mean `verify list`" in res.err
    assert "verify new lsit" in res.err and res.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_verify_new_makes_a_casebook_once(cli, tmp_path: Path) -> None:
    path = tmp_path / "desk"
    res = cli("new", str(path))
    assert res.code == 0 and path.exists()
    assert cli("list", "--casebook", str(path)).code == 0
    again = cli("new", str(path))
    assert again.code == 1 and "already exists" in again.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize(
    "argv",
    [
        ["FIFO"],
        ["list", "--casebook", "FIFO"],
        ["ingest", "FIFO", "--casebook", "BOOK"],
        ["extract", "FIFO"],
        ["import", "FIFO", "--casebook", "BOOK"],
        ["quote", "--source", "FIFO", "--quote", "x"],
    ],
)
def test_a_fifo_is_refused_without_hanging(cli, tmp_path: Path, argv: list[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    subst = {"FIFO": str(fifo), "BOOK": str(tmp_path / "b.casebook")}
    res = cli(*[subst.get(a, a) for a in argv])
    assert res.code == 1 and "not a regular file" in res.err, res.err
    assert res.err.count("\n") == 1


@pytest.mark.parametrize("address", ["postgresql://desk:secret@127.0.0.1:1/verify", "https://x/c"])
@pytest.mark.parametrize("how", ["option", "env"])
def test_an_address_is_never_made_a_file(
    cli, tmp_path: Path, monkeypatch, address: str, how: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if how == "env":
        monkeypatch.setenv("VERIFY_CASEBOOK", address)
        res = cli("list")
    else:
        res = cli("list", "--casebook", address)
    # A PostgreSQL address is opened (here nothing listens: one line saying so); any other
    # address is refused. Neither echoes the password nor leaves a file behind.
    expect = "cannot open casebook" if address.startswith("postgresql") else "not a casebook"
    assert res.code == 1 and expect in res.err and res.err.count("\n") == 1, res.err
    assert "secret" not in res.err
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]

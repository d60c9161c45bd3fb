"""Crash, concurrency, damage, disk-full: the fast parts of the reliability campaign."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests import crash_campaign
from tests.cli_helpers import digest, tamper
from tests.conftest import need, tui_app
from verify.errors import VerifyError
from verify.importers import import_file
from verify.store import Store


def need_installed_verify() -> None:
    need(
        Path(crash_campaign.VERIFY).exists(),
        "needs the verify command installed beside this Python: pip install '.[test]'",
    )


def test_killed_verify_processes_lose_no_acknowledged_write(tmp_path: Path) -> None:
    need_installed_verify()
    campaign = crash_campaign.run(tmp_path / "campaign", rounds=12, seed=7)
    # Both kinds of round happened: killed mid-run, and finished and acknowledged before the
    # kill came (the runs that set the baseline are not rounds).
    assert campaign.killed > 0 and campaign.finished > 0
    assert campaign.problems() == []


def _damage_page(path: Path, page: int) -> None:
    """Overwrite one page of the file with garbage, as a bad disk sector would."""
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as fh:
        fh.seek(page * size)
        fh.write(b"\xde\xad\xbe\xef" * (size // 4))


def _checkpointed(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_truncated_casebook_is_named_and_refused(cli, sample_path: Path) -> None:
    _checkpointed(sample_path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 2])
    for args in (["check"], ["list"], []):
        # With no command this is the TUI: it must refuse before opening a screen.
        res = cli(*args, "--casebook", str(sample_path)) if args else cli(str(sample_path))
        assert res.code == 1 and "truncated" in res.err and res.err.count("\n") == 1


def test_corrupted_page_is_named_by_check_and_refused_by_the_tui(cli, sample_path: Path) -> None:
    _checkpointed(sample_path)
    conn = sqlite3.connect(sample_path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
    conn.close()
    _damage_page(sample_path, root - 1)  # the claims table's first page
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 1 and "damage" in (res.out + res.err)
    tui = cli(str(sample_path))  # refused before any screen opens
    assert tui.code == 1 and "damaged" in tui.err and "verify restore" in tui.err


def test_deleted_document_body_is_named(cli, sample_path: Path) -> None:
    tamper(sample_path, "UPDATE documents SET raw = X'' WHERE rowid = 1")
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 1 and "archived bytes do not match their sha256" in res.out


def test_future_schema_is_refused_by_every_entry_point(cli, sample_path: Path) -> None:
    tamper(sample_path, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    for args in (["check", "--casebook", str(sample_path)], [str(sample_path)]):
        res = cli(*args)
        assert res.code == 1 and "newer than this verify" in res.err


def test_backup_and_restore_after_damage(cli, sample_path: Path, tmp_path: Path) -> None:
    cb = ["--casebook", str(sample_path)]
    backup = tmp_path / "safe.bak"
    assert cli("backup", str(backup), *cb).code == 0
    _checkpointed(sample_path)
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 3])
    res = cli("restore", str(backup), *cb)
    assert res.code == 0 and "restored" in res.out
    assert cli("check", *cb).code == 0
    assert len(cli("list", "--json", *cb).json_lines()) == 6
    assert list(tmp_path.glob("sample.casebook.replaced-*"))  # the damaged file is kept
    # A damaged backup is refused and the casebook is left alone.
    bad = tmp_path / "bad.bak"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    before = digest(sample_path)
    assert cli("restore", str(bad), *cb).code == 1
    assert digest(sample_path) == before


def test_migration_backup_can_be_restored(cli, tmp_path: Path) -> None:
    path = tmp_path / "old.casebook"
    Store.open(path, migrate_to=1).close()
    Store.open(path).close()  # migrates, backing up first
    backup = tmp_path / "old.casebook.v1.bak"
    res = cli("restore", str(backup), "--casebook", str(path))
    assert res.code == 0
    with Store.open(path) as s:
        assert s.schema_version() >= 4


def test_disk_full_leaves_nothing_half_written(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": str(i), "text": f"Claim {i} " + "x" * 2000}) + "\n"
            for i in range(500)
        )
    )
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's page limit stands in for a full disk: writes past it fail as on a full disk.
    store.conn.execute(f"PRAGMA max_page_count = {pages + 5}")
    with pytest.raises(VerifyError, match="full"):
        import_file(store, str(src), "jsonl")
    assert store.count_claims() == 0
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert import_file(store, str(src), "jsonl")["claims"] == 500


def test_read_only_casebook_is_a_clear_message(sample_path: Path) -> None:
    before = digest(sample_path)
    with Store.open(sample_path) as store:
        # SQLite's query_only stands in for a read-only file (tests run as root, for whom
        # file permissions do not bite): every write is refused the same way.
        store.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(VerifyError, match="read-only"):
            store.update_claim(
                "c-65jxr4wr", lambda c: c.model_copy(update={"tags": ["x"]}), "claim.edit"
            )
    assert digest(sample_path) == before


async def test_two_tuis_and_a_cli_on_one_casebook(sample_path: Path, tmp_path: Path) -> None:
    need_installed_verify()

    def app(name: str):
        return tui_app(sample_path, tmp_path, actor=name, state_path=tmp_path / f"{name}.json")

    first, second = app("ana"), app("ben")
    async with first.run_test(size=(120, 36)) as p1, second.run_test(size=(120, 36)) as p2:
        await p1.pause()
        await p2.pause()
        # Meanwhile a script writes other claims through the CLI, over and over.
        cli = subprocess.Popen(
            [
                "bash",
                "-c",
                " ; ".join(
                    f"{crash_campaign.VERIFY} verdict c-az7y8knn {label} --yes --casebook "
                    f"{sample_path}"
                    for label in ["true", "false"] * 10
                ),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        await p1.press("v", "7")  # ana: unproven, on the claim both have open
        await p1.pause()
        await p2.press("v", "8")  # ben: disputed, from a now stale copy
        await p2.pause()
        refused = [str(n.message) for n in second._notifications]
        assert any("changed elsewhere" in m for m in refused)
        await p2.press("v", "8")  # ben, after the reload, tries again: accepted
        await p2.pause()
        _, err = cli.communicate(timeout=60)
    assert cli.returncode == 0 and "locked" not in err
    with Store.open(sample_path) as s:
        verdicts = [e for e in s.events(target="claim:c-2zjgpgfw") if e.action == "claim.verdict"]
        assert [e.actor for e in verdicts][-2:] == ["ana", "ben"]  # both saved, none lost
        assert s.get_claim("c-2zjgpgfw").verdict.label == "disputed"  # type: ignore[union-attr]
        assert s.get_claim("c-az7y8knn").verdict.label == "false"  # type: ignore[union-attr]

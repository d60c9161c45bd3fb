"""Tamper evidence: digests on every record, the history as a hash chain, `check` naming it all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import tamper
from tests.conftest import FakeClock
from tests.tamper_campaign import run
from verify import digests
from verify.integrity import check
from verify.migrations import LATEST
from verify.models import Claim
from verify.store import Store

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""


def _damage(path: Path) -> list[str]:
    with Store.open(path, create=False) as s:
        return [f"{f.where}: {f.message}" for f in check(s) if f.severity == "damage"]


def test_a_sound_casebook_passes(sample_path: Path) -> None:
    with Store.open(sample_path) as s:
        s.update_claim("c-65jxr4wr", lambda c: c.model_copy(update={"tags": ["x"]}), "edit")
        s.undo()
        s.redo()
        s.update_settings(lambda st: st.model_copy(update={"name": "Desk"}), "settings")
    assert _damage(sample_path) == []


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        # One digit in a claim's stored body: list and show would disagree.
        ("UPDATE claims SET body = replace(body, '2', '9') WHERE id = 'c-2zjgpgfw'", "c-2zjgpgfw"),
        ("UPDATE claims SET verdict = 'true' WHERE id = 'c-65jxr4wr'", "c-65jxr4wr"),
        ("UPDATE events SET actor = 'someone else' WHERE seq = 2", "event 2"),
        ("DELETE FROM events WHERE seq = 3", "event 4"),
        ("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)", "history"),
        (
            "UPDATE meta SET value = replace(value, 'true', 'truth') WHERE key = 'settings'",
            "settings",
        ),
        ("UPDATE sources SET body = replace(body, 'e', 'E')", "source"),
        ("UPDATE documents SET title = 'Another title'", "document"),
        ("UPDATE events SET undone = 1 WHERE seq = 1", "event 1"),
    ],
)
def test_check_names_each_changed_record(sample_path: Path, sql: str, named: str) -> None:
    tamper(sample_path, sql)
    found = _damage(sample_path)
    assert found, "tampering went unnoticed"
    assert any(named in f for f in found), found


@pytest.mark.sqlite_only
def test_check_names_a_value_of_the_wrong_storage_class(sample_path: Path) -> None:
    # Only a file can hold text as a blob; a server enforces each column's type.
    tamper(sample_path, "UPDATE claims SET body = CAST(body AS BLOB) WHERE id = 'c-65jxr4wr'")
    found = _damage(sample_path)
    assert any("claims row" in f for f in found), found


def test_migration_seals_an_older_casebook(tmp_path: Path) -> None:
    path = tmp_path / "old.casebook"
    with Store.open(path, migrate_to=5, clock=FakeClock()) as old:
        now = old.clock()
        old.add_claim(Claim(id="c-old", text="25 people were evacuated.", created=now, updated=now))
        old.update_claim("c-old", lambda c: c.model_copy(update={"tags": ["t"]}), "edit")
    assert _damage(path) == []  # opening migrates to the latest, computing digests and the chain
    with Store.open(path) as s:
        assert s.schema_version() == LATEST >= digests.SEALED_SCHEMA
        assert s.conn.execute("SELECT count(*) FROM events WHERE hash = ''").fetchone()[0] == 0
    tamper(path, "UPDATE claims SET body = replace(body, '25', '95')")
    assert any("c-old" in f for f in _damage(path))


def test_check_never_fails_on_random_damage(tmp_path: Path) -> None:
    tally = run(tmp_path / "tamper", rounds=60, seed=3)
    assert tally.internal == []
    assert tally.silent == []
    assert tally.content_changed > 20  # the campaign did reach stored content


def test_check_reads_records_that_are_not_text(sample_path: Path, cli) -> None:
    tamper(sample_path, "UPDATE claims SET body = X'ff00fe' WHERE id = 'c-65jxr4wr'")
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 1
    assert "c-65jxr4wr" in res.out and "Traceback" not in res.err


def test_portable_import_writes_sealed_records(sample_path: Path) -> None:
    with Store.open(sample_path) as s:
        for table in ("claims", "sources", "documents", "meta"):
            unsealed = s.conn.execute(f"SELECT count(*) FROM {table} WHERE digest = ''")
            assert unsealed.fetchone()[0] == 0, table

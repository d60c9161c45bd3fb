"""The casebook file: replaced while open, restored, hostile backups, concurrent settings."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import digest, tamper
from tests.conftest import FakeClock
from verify.errors import StaleWriteError, VerifyError
from verify.integrity import check
from verify.models import Claim
from verify.store import Store

VERIFY = str(Path(sys.executable).parent / "verify")


def _claim(store: Store, text: str) -> Claim:
    now = store.clock()
    claim = Claim(id=f"c-{abs(hash(text)) % 10**8:08d}", text=text, created=now, updated=now)
    return store.add_claim(claim)


def _ids(path: Path) -> set[str]:
    with Store.open(path, create=False) as s:
        return {r.id for r in s.summaries()}


def test_a_replaced_casebook_file_is_never_written(sample_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.casebook"
    shutil.copy(sample_path, other)
    aside = tmp_path / "aside.casebook"
    with Store.open(sample_path, clock=FakeClock()) as open_one:
        before = open_one.count_claims()
        # Another process moves the casebook aside and puts a different file in its place.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import os, sys; os.replace(sys.argv[1], sys.argv[3]); "
                "os.replace(sys.argv[2], sys.argv[1])",
                str(sample_path),
                str(other),
                str(aside),
            ],
            check=True,
        )
        assert open_one.replaced()
        with pytest.raises(VerifyError, match="replaced"):
            _claim(open_one, "Written after the file was replaced.")
    with Store.open(aside, create=False) as s:
        assert s.count_claims() == before  # nothing went into the moved-aside file


def test_restore_with_the_casebook_open_elsewhere_loses_nothing(
    cli, sample_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "b.bak"
    assert cli("backup", str(backup), "--casebook", str(sample_path)).code == 0
    with Store.open(sample_path, clock=FakeClock()) as tui:
        _claim(tui, "Saved before the restore.")
        res = cli("restore", str(backup), "--casebook", str(sample_path))
        assert res.code == 0, res.err
        tui.data_version()
        later = _claim(tui, "Saved after the restore.")
    # What the open casebook saved after the restore is in the casebook at the path.
    assert later.id in _ids(sample_path)
    kept = next(tmp_path.glob("sample.casebook.replaced-*"))
    assert any(r.startswith("c-") for r in _ids(kept))
    assert len(_ids(kept)) == len(_ids(backup)) + 1


def test_restore_never_changes_the_backup(cli, tmp_path: Path) -> None:
    old = tmp_path / "old.casebook"
    with Store.open(old, migrate_to=4, clock=FakeClock()) as s:
        _claim(s, "An old claim from schema 4.")
    s5 = tmp_path / "old.bak"
    shutil.copy(old, s5)
    before = s5.read_bytes()
    target = tmp_path / "new.casebook"
    res = cli("restore", str(s5), "--casebook", str(target))
    assert res.code == 0, res.err
    assert s5.read_bytes() == before
    assert not list(tmp_path.glob("old.bak.v*.bak"))
    assert len(_ids(target)) == 1
    assert cli("check", "--casebook", str(target)).code == 0
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


RESTORER = r"""
import os, signal, sys
from verify.cli import main

real, calls = os.replace, []


def replace_then_die(*args):
    real(*args)
    calls.append(args)
    if len(calls) == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)


os.replace = replace_then_die
main(["restore", sys.argv[1], "--casebook", sys.argv[2]])
"""


def test_a_restore_killed_at_any_step_leaves_a_sound_casebook(
    sample_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "b.bak"
    with Store.open(sample_path) as s:
        s.backup(backup)
        _claim(s, "Only in the casebook, not in the backup.")
    old_ids, backup_ids = _ids(sample_path), _ids(backup)
    for step in range(1, 5):  # killed right after each rename restore makes
        subprocess.run([sys.executable, "-c", RESTORER, str(backup), str(sample_path), str(step)])
        assert sample_path.exists()
        ids = _ids(sample_path)  # there is a casebook at the path, and it opens
        assert ids in (old_ids, backup_ids)
        with Store.open(sample_path) as s:
            assert not [f for f in check(s) if f.severity == "damage"]
        if ids == backup_ids:  # put the old content back for the next kill
            with Store.open(sample_path) as s:
                _claim(s, "Only in the casebook, not in the backup.")


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TRIGGER rewrite AFTER UPDATE ON claims BEGIN "
        "UPDATE claims SET verdict = 'true' WHERE id = new.id; END",
        "CREATE TRIGGER actor AFTER INSERT ON events BEGIN "
        "UPDATE events SET actor = 'someone' WHERE seq = new.seq; END",
        "CREATE VIEW everything AS SELECT * FROM claims",
        "CREATE TABLE extra (x)",
        "DROP INDEX idx_claims_ref",
    ],
)
def test_a_hostile_backup_is_refused(cli, sample_path: Path, tmp_path: Path, sql: str) -> None:
    backup = tmp_path / "hostile.bak"
    with Store.open(sample_path) as s:
        s.backup(backup)
    tamper(backup, sql)
    target = tmp_path / "target.casebook"
    shutil.copy(sample_path, target)
    before = digest(target)
    res = cli("restore", str(backup), "--casebook", str(target))
    assert res.code == 1
    assert len(res.err.strip().splitlines()) == 1 and "refused" in res.err
    assert digest(target) == before
    res = cli("check", "--casebook", str(backup))
    assert res.code == 1
    assert "schema" in res.out


def test_stale_settings_are_refused_not_overwritten(sample_path: Path) -> None:
    with Store.open(sample_path) as mine, Store.open(sample_path) as theirs:
        read = mine.settings()
        theirs.update_settings(lambda s: s.model_copy(update={"name": "Desk"}), "settings.update")
        with pytest.raises(StaleWriteError, match="changed elsewhere"):
            mine.set_settings(read.model_copy(update={"publisher_name": "Paper"}))
    with Store.open(sample_path) as s:
        assert s.settings().name == "Desk"


def test_two_config_sets_at_once_both_land(sample_path: Path) -> None:
    env = {"VERIFY_CASEBOOK": str(sample_path), "PATH": str(Path(sys.executable).parent)}
    for round_ in range(3):
        procs = [
            subprocess.Popen([VERIFY, "config", "set", key, f"{key}-{round_}"], env=env)
            for key in ("name", "publisher.name", "publisher.url")
        ]
        assert all(p.wait() == 0 for p in procs)
        with Store.open(sample_path) as s:
            got = s.settings()
        assert (got.name, got.publisher_name, got.publisher_url) == (
            f"name-{round_}",
            f"publisher.name-{round_}",
            f"publisher.url-{round_}",
        )


def test_an_unreadable_backup_is_one_line(cli, sample_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bak"
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', 'x')")
    conn.commit()
    conn.close()
    before = digest(sample_path)
    res = cli("restore", str(bad), "--casebook", str(sample_path))
    assert res.code == 1 and len(res.err.strip().splitlines()) == 1
    assert digest(sample_path) == before


async def test_the_tui_says_its_casebook_was_replaced_and_saves_nothing(
    sample_path: Path, tmp_path: Path
) -> None:
    from tests.conftest import tui_app
    from verify.models import utcnow

    other, aside = tmp_path / "other.casebook", tmp_path / "aside.casebook"
    shutil.copy(sample_path, other)
    app = tui_app(sample_path, tmp_path, watch_interval=0.05, clock=utcnow)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import os, sys; os.replace(sys.argv[1], sys.argv[2]); "
                "os.replace(sys.argv[3], sys.argv[1])",
                str(sample_path),
                str(aside),
                str(other),
            ],
            check=True,
        )
        await pilot.pause(0.3)
        assert any("replaced" in str(n.message) for n in app._notifications)
        before = digest(aside)
        await pilot.press("v", "7")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert not any(m.startswith("Verdict") for m in messages), messages
    assert digest(aside) == before

"""A desk on one casebook: reviewers in separate processes, assignment, who did what."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import desk_campaign
from tests.cli_helpers import digest
from verify.store import Store

BOTH_BACKENDS = True


def test_concurrent_reviewers_lose_no_acknowledged_write(tmp_path: Path) -> None:
    # Six processes, five verdicts each; three race on one claim, half of their writes stale
    # on purpose. Every acknowledged verdict must be in the history afterwards, every
    # refusal the stale-write message, nothing an internal error.
    casebook = str(tmp_path / "desk.casebook")
    tally, _ = desk_campaign.run(casebook, 6, 5, folder=tmp_path)
    assert tally.attempts == 30
    assert tally.internal_errors == []
    assert tally.other_refusals == []
    assert tally.acknowledged > 0 and tally.lost == 0
    assert tally.duplicate_revisions == 0
    assert tally.stale_on_purpose == 3 * 2
    assert tally.stale_refused >= tally.stale_on_purpose
    assert tally.acknowledged + tally.stale_refused == tally.attempts


BELGOROD = "c-2zjgpgfw"
MIGRANTS = "c-65jxr4wr"


def _as(monkeypatch: pytest.MonkeyPatch, who: str | None) -> None:
    if who is None:
        monkeypatch.delenv("VERIFY_ACTOR", raising=False)
    else:
        monkeypatch.setenv("VERIFY_ACTOR", who)


def test_assign_shows_in_show_list_and_json_and_filters_the_list(
    cli, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cb = ("--casebook", str(sample_path))
    _as(monkeypatch, "alice")
    res = cli("assign", BELGOROD, "Bob", *cb)
    assert res.code == 0 and res.out.startswith(f"{BELGOROD}: assigned to Bob (revision ")
    shown = cli("show", BELGOROD, *cb).out
    assert "assigned: Bob" in shown
    assert (
        "\nLast change: assigned 'Ukrainian attacks killed 25 people, inc…' to Bob by alice"
        in shown
    )
    assert cli("show", BELGOROD, "--json", *cb).json_lines()[0]["assignee"] == "Bob"
    rows = {r["id"]: r for r in cli("list", "--json", *cb).json_lines()}
    assert rows[BELGOROD]["assignee"] == "Bob" and rows[MIGRANTS]["assignee"] == ""
    lines = {line.split("\t")[0]: line.split("\t") for line in cli("list", *cb).out.splitlines()}
    assert lines[BELGOROD][-1] == "@Bob" and lines[MIGRANTS][-1] == "-"
    assert len(lines[MIGRANTS]) == 6  # the text stays the fifth column
    # Filters: by name (any case), mine (VERIFY_ACTOR), nobody's.
    assert [r["id"] for r in cli("list", "--assigned", "bob", "--json", *cb).json_lines()] == [
        BELGOROD
    ]
    assert cli("list", "--mine", *cb).out == ""
    _as(monkeypatch, "Bob")
    assert [r["id"] for r in cli("list", "--mine", "--json", *cb).json_lines()] == [BELGOROD]
    unassigned = [r["id"] for r in cli("list", "--unassigned", "--json", *cb).json_lines()]
    assert BELGOROD not in unassigned and MIGRANTS in unassigned
    assert cli("list", "--mine", "--unassigned", *cb).code == 2


def test_assign_is_undone_and_redone_and_says_who(
    cli, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cb = ("--casebook", str(sample_path))
    _as(monkeypatch, "carol")
    assert cli("assign", MIGRANTS, "--me", *cb).code == 0
    assert cli("list", "--mine", "--json", *cb).json_lines()[0]["id"] == MIGRANTS
    undo = cli("undo", *cb)
    assert undo.code == 0 and "assigned 'Russian police rounded up" in undo.out
    assert "to carol" in undo.out
    assert "assignee" not in cli("show", MIGRANTS, "--json", *cb).json_lines()[0]
    assert cli("redo", *cb).code == 0
    assert cli("show", MIGRANTS, "--json", *cb).json_lines()[0]["assignee"] == "carol"
    res = cli("assign", MIGRANTS, "--none", *cb)
    assert res.code == 0 and ": unassigned (revision" in res.out
    again = cli("assign", MIGRANTS, "--none", *cb)
    assert again.code == 0 and "already unassigned" in again.out
    history = cli("history", MIGRANTS, "--json", *cb).json_lines()
    assert history[-2]["what"] == f"redid event {history[-4]['seq']} on a claim"
    assert [(h["action"], h["actor"]) for h in history[-4:]] == [
        ("claim.assign", "carol"),
        ("undo", "carol"),
        ("redo", "carol"),
        ("claim.assign", "carol"),
    ]
    assert history[-1]["what"].startswith("unassigned 'Russian police")
    assert history[-4]["undone"] is False  # redone


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assign", "c-nothere", "bob"], "no claim with id 'c-nothere'"),
        (["assign", MIGRANTS], "give one of: a REVIEWER, --me or --none"),
        (["assign", MIGRANTS, "bob", "--none"], "give one of: a REVIEWER, --me or --none"),
        (["assign", MIGRANTS, " \x1b[31m "], "a reviewer's name cannot be empty"),
        (["assign", MIGRANTS, "x" * 81], "a reviewer's name is at most 80 characters"),
        (["assign", MIGRANTS, "bob", "--revision", "1"], "was changed elsewhere"),
        (["verdict", MIGRANTS, "false", "--revision", "1"], "was changed elsewhere"),
        (["history", "c-nothere"], "no claim with id 'c-nothere'"),
        (["history", "--limit", "0"], "--limit must be 1 or more"),
    ],
)
def test_desk_commands_refuse_bad_input_in_one_line(
    cli, sample_path: Path, argv: list[str], message: str
) -> None:
    before = digest(sample_path)
    res = cli(*argv, "--casebook", str(sample_path))
    assert res.code == 1 and res.out == ""
    errors = [line for line in res.err.splitlines() if not line.startswith("verify: warning:")]
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in res.err
    assert digest(sample_path) == before


def test_every_cli_action_logs_the_reviewer_who_did_it(
    cli, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cb = ("--casebook", str(sample_path))
    first_new = cli("history", "--json", *cb).json_lines()[-1]["seq"] + 1
    steps = [
        ("alice", ["verdict", MIGRANTS, "false", "--rationale", "checked"]),
        ("bob", ["assign", MIGRANTS, "dora"]),
        ("carol", ["edit", "claim", MIGRANTS, "--claimant", "A ministry"]),
        ("dora", ["evidence", "add", MIGRANTS, "--note", "Phoned the police press office."]),
        ("erin", ["undo"]),
        ("frank", ["redo"]),
        ("gus", ["config", "set", "name", "Desk casebook"]),
    ]
    for who, argv in steps:
        _as(monkeypatch, who)
        res = cli(*argv, *cb)
        assert res.code == 0, (argv, res.err)
    events = [e for e in cli("history", "--json", *cb).json_lines() if e["seq"] >= first_new]
    assert [e["actor"] for e in events] == [who for who, _ in steps]
    assert cli("show", MIGRANTS, "--json", *cb).json_lines()[0]["verdict"]["reviewer"] == "alice"
    plain = cli("history", MIGRANTS, *cb).out.splitlines()
    assert plain[-1].split("\t")[2] == "frank" and "redid event" in plain[-1]
    # The report's history table names them too.
    report = cli("export", "--format", "md", "--claim", MIGRANTS, *cb).out
    for who in ("alice", "bob", "carol", "dora"):
        assert f"| {who} |" in report


def test_without_verify_actor_the_login_name_is_recorded(sample_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "VERIFY_ACTOR"}
    run = [sys.executable, "-m", "verify", "--casebook", str(sample_path)]
    done = subprocess.run([*run, "assign", MIGRANTS, "--me"], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        [*run, "history", MIGRANTS, "--limit", "1", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    event = json.loads(shown.stdout)
    assert event["actor"] == getpass.getuser() and event["action"] == "claim.assign"
    assert event["what"].endswith(f"to {getpass.getuser()}")


def test_backup_is_a_whole_portable_sqlite_casebook(
    cli, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cb = ("--casebook", str(sample_path))
    _as(monkeypatch, "alice")
    assert cli("assign", MIGRANTS, "bob", *cb).code == 0
    assert cli("verdict", MIGRANTS, "false", "--yes", *cb).code == 0
    assert cli("undo", *cb).code == 0  # an undone change is history too
    dest = tmp_path / "copy.casebook"
    with Store.open(sample_path) as store:
        store.backup(dest)
        want = _contents(store)
    assert dest.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
    with Store.open(dest, create=False) as copy:
        assert _contents(copy) == want
    check = cli("check", "--casebook", str(dest))
    assert check.code == 0, check.out + check.err
    # The copy works as a casebook: the undone verdict can be redone there, by its reviewer.
    _as(monkeypatch, "carol")
    assert cli("redo", "--casebook", str(dest)).code == 0
    shown = cli("show", MIGRANTS, "--json", "--casebook", str(dest)).json_lines()[0]
    assert shown["verdict"]["label"] == "false" and shown["assignee"] == "bob"


def _contents(store: Store) -> dict[str, object]:
    return {
        "settings": store.settings(),
        "claims": list(store.iter_claims()),
        "sources": store.sources(),
        "documents": [(d, store.document_raw(d.id)) for d in store.documents()],
        "events": [e.model_copy(update={"seq": 0}) for e in store.events()],
    }

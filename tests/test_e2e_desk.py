"""One whole desk session in a real 80x24 terminal: triage, evidence by keyboard, verdict."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from tests.test_e2e_tmux import VERIFY, Tmux, tmux  # noqa: F401

STORY = (
    "The regional governor, Anna Petrova, said 12 people were killed when shells hit the "
    "central market on Tuesday.\n\nMilitary officials said the deaths were caused by a fuel "
    "depot explosion, not shelling.\n"
)


def run(*args: str) -> str:
    return subprocess.run([str(VERIFY), *args], capture_output=True, text=True, check=True).stdout


def test_triage_to_verdict_at_80x24(tmux: Tmux, tmp_path: Path) -> None:  # noqa: F811
    book = tmp_path / "desk.casebook"
    story = tmp_path / "story.txt"
    story.write_text(STORY, "utf-8")
    run("ingest", str(story), "--casebook", str(book))
    tmux.start(str(VERIFY), str(book))
    tmux.tmux("resize-window", "-t", "t", "-x", "80", "-y", "24")
    screen = tmux.wait_for("The regional")
    for key in ("Quit", "Help", "Filter", "Verdict"):
        assert key in screen.splitlines()[-1], screen

    tmux.keys("t")
    tmux.wait_for("Proposed claims")
    # Ingest put the officials' version beside the governor's: one claim to accept.
    tmux.keys("Enter")
    tmux.wait_for("0 proposed claim(s) left")
    tmux.keys("Escape")
    tmux.wait_for("Quit")

    tmux.keys("e")
    tmux.wait_for("Attach evidence")
    time.sleep(1)  # the dialog is drawn before its keys are bound
    tmux.keys("C-f")
    time.sleep(0.3)
    tmux.keys(*"depot", "Enter")
    time.sleep(0.3)
    tmux.keys("Tab")
    time.sleep(0.3)
    tmux.keys("1", "-", "2", "+")
    time.sleep(0.5)
    tmux.keys("C-s")
    tmux.wait_for("Attached")

    time.sleep(0.5)
    tmux.keys("v")
    tmux.wait_for("press its number")
    tmux.keys("8")
    tmux.wait_for("DISPUTED")
    time.sleep(0.5)
    tmux.keys("r")
    tmux.wait_for("Rationale")
    time.sleep(0.5)
    tmux.keys("-l", "Officials blame a depot fire.")
    tmux.keys("C-s")
    time.sleep(1)  # saved text may sit under a notice; the casebook is checked below
    tmux.keys("q")
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)

    claims = [
        json.loads(line) for line in run("list", "--json", "--casebook", str(book)).splitlines()
    ]
    assert len(claims) == 1
    claim = json.loads(run("show", claims[0]["id"], "--json", "--casebook", str(book)))
    assert claim["verdict"]["label"] == "disputed"
    assert claim["verdict"]["rationale"] == "Officials blame a depot fire."
    assert len(claim["accounts"]) == 2
    (item,) = claim["evidence"]
    assert item["selector"]["quote"]["exact"] == "depot"
    first, second = (a["id"] for a in claim["accounts"])
    assert item["stances"][first] == "I" and item["stances"][second] == "C"

"""The installed `verify`, in a real terminal under tmux: keys in, screen out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, need

VERIFY = Path(sys.executable).parent / "verify"


class Tmux:
    """A private tmux server (own socket, no user config) with one 120x36 window."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env

    def tmux(self, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            **kw,
        )  # type: ignore[call-overload]

    def start(self, *command: str) -> None:
        exports = " ".join(f"{k}={v}" for k, v in self.env.items())
        # Size the window first, then start verify in it: a program started with the
        # session would measure the default 80x24 before the resize.
        self.tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "36", "sleep 600", check=True)
        # tmux puts the creating client's COLUMNS/LINES (80x24 when it is not a terminal) in
        # the pane's environment, and programs believe them over the real window size.
        self.tmux(
            "respawn-pane",
            "-k",
            "-t",
            "t",
            f"env -u COLUMNS -u LINES {exports} {' '.join(command)}",
            check=True,
        )

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys, check=True)

    def screen(self) -> str:
        return str(self.tmux("capture-pane", "-p", "-t", "t").stdout)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", "t").returncode == 0

    def kill(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def tmux(tmp_path: Path, isolated_home: Path):
    need(shutil.which("tmux") is not None, "needs tmux: apt-get install tmux (CI's .ci/run does)")
    need(VERIFY.exists(), "needs the installed verify command: pip install '.[test]'")
    env = {k: os.environ[k] for k in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "HOME")}
    env.update({"VERIFY_ACTOR": "e2e", "TERM": "xterm-256color", "COLORTERM": "truecolor"})
    t = Tmux(f"verify-e2e-{os.getpid()}", env)
    yield t
    t.kill()


def test_set_a_verdict_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    book = tmp_path / "e2e.casebook"
    subprocess.run(
        [str(VERIFY), "import", str(SAMPLE), "--casebook", str(book)],
        check=True,
        capture_output=True,
    )
    tmux.start(str(VERIFY), str(book))
    tmux.wait_for("Ukrainian attacks killed 25")
    tmux.keys("Down")
    tmux.wait_for("rounded up migrants")
    tmux.keys("v")
    tmux.wait_for("press its number")
    tmux.keys("8")  # disputed: no confirmation needed
    # The verdict bar of the shown claim now carries the label's description.
    screen = tmux.wait_for("Credible sources give competing accounts")
    assert "DISPUTED" in screen
    tmux.keys("q")
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    out = subprocess.run(
        [str(VERIFY), "show", "c-65jxr4wr", "--json", "--casebook", str(book)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out)["verdict"]["label"] == "disputed"


def test_demo_opens_a_fresh_copy_of_the_sample(tmux: Tmux, isolated_home: Path) -> None:
    tmux.start(str(VERIFY), "demo")
    tmux.wait_for("Sample casebook")
    tmux.wait_for("Ukrainian attacks killed 25")
    tmux.keys("q")
    demos = list(isolated_home.rglob("demo-*.casebook"))
    assert len(demos) == 1

"""Shared fixtures: an isolated home for every test, casebooks, and a CLI runner."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests import pgserver
from verify import portable
from verify.cli import main
from verify.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
"""The team's shared data (seed article, evaluation sets), kept beside the checkout, never in it."""
SEED = SHARED / "seed" / "ukraine-live-blog-2024-01-03.txt"
EVAL = SHARED / "eval"
SAMPLE = REPO / "casebook" / "sample.casebook.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIVEBLOG = FIXTURES / "liveblog.txt"
"""A live blog written for the tests: competing accounts, a rising toll, an unnamed source."""
IN_CI = os.environ.get("CI", "").lower() in ("true", "1")


def need_shared(path: Path) -> Path:
    """`path` inside ../shared, or skip saying what is missing (a failure under CI=true).

    A fresh clone has no ../shared: the tests that measure on the seed article or the
    evaluation data then skip, and CI, which always has it, must not skip them quietly.
    """
    where = path.relative_to(SHARED.parent)
    need(
        path.exists(),
        f"needs ../{where}, the shared data kept beside the checkout (not in the repository: "
        "research licences); put the team's shared/ folder next to this checkout to run it",
    )
    return path


def need(present: bool, message: str) -> None:
    """Skip saying what is missing and how to get it, unless under CI=true: there, a fail."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


def need_module(name: str, install: str) -> None:
    """An optional Python package (CI installs them all)."""
    import importlib.util

    need(importlib.util.find_spec(name) is not None, f"needs the {name} package: {install}")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user's casebook or state: point every platformdirs root at tmp."""
    home = tmp_path / "home"
    home.mkdir()
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("VERIFY_CASEBOOK", raising=False)
    monkeypatch.setenv("VERIFY_ACTOR", "tester")
    return home


class FakeClock:
    """A clock that ticks one second per call, so histories are stable."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 3, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def tui_app(casebook: Path, folder: Path, **settings: object):
    """The TUI for tests: fixed clock and actor, no polling, no real keymap or state."""
    from verify.ui.app import make_app

    options: dict[str, object] = {
        "clock": FakeClock(),
        "actor": "tester",
        "watch_interval": 0,
        "keymap_path": folder / "keymap.json",
    }
    options.update(settings)
    state = options.pop("state_path", folder / "state.json")
    return make_app(casebook, state, **options)  # type: ignore[arg-type]


@pytest.fixture
def sample_tui(sample_path: Path, tmp_path: Path):
    """The TUI running on a copy of the sample: `async with sample_tui(size) as (app, pilot)`.

    The app is started inside the test's own task (Textual's `run_test` must be entered and
    left there), settled once, and closed when the block ends.
    """

    @asynccontextmanager
    async def running(size: tuple[int, int] = (120, 36), **settings: object):
        app = tui_app(sample_path, tmp_path, **settings)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot

    return running


BACKENDS = ("sqlite", "postgresql")
"""Where a casebook can live. A test module setting `BOTH_BACKENDS = True` runs its
casebook tests on each (a test marked `sqlite_only` tests something only a file has)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: tests what only a casebook file has")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if not getattr(metafunc.module, "BOTH_BACKENDS", False):
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.Server]:
    """One throwaway PostgreSQL cluster for the session (skips, or under CI fails, saying
    why when PostgreSQL is missing)."""
    try:
        server = pgserver.start()
    except RuntimeError as exc:
        need(False, str(exc))
        raise
    yield server
    server.stop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def casebook_path(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Path:
    """Where the test's casebook lives: a file, or (PostgreSQL) a fresh database's address
    (typed Path for the many tests that only pass it on)."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_server").new_database()  # type: ignore[no-any-return]
    return tmp_path / "test.casebook"


@pytest.fixture
def copy_path(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Path:
    """A second, empty casebook on the same backend, for a copy made by export and import."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_server").new_database()  # type: ignore[no-any-return]
    return tmp_path / "copy.casebook"


@pytest.fixture
def store(casebook_path: Path) -> Iterator[Store]:
    s = Store.open(casebook_path, clock=FakeClock(), actor="tester")
    yield s
    s.close()


@pytest.fixture
def sample_path(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Path:
    """A casebook loaded from the committed sample (a file, or a database's address)."""
    path = tmp_path / "sample.casebook"
    if backend == "postgresql":
        path = request.getfixturevalue("pg_server").new_database()
    with Store.open(path, clock=FakeClock(), actor="tester") as s:
        portable.import_casebook(s, json.loads(SAMPLE.read_text("utf-8")))
    return path


@pytest.fixture
def sample(sample_path: Path) -> Iterator[Store]:
    s = Store.open(sample_path, clock=FakeClock(), actor="tester")
    yield s
    s.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `verify ARGS` in-process; returns exit code, stdout and stderr."""

    def run(*args: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


# Hostile-input properties run a few examples per test by default; the long campaign
# (bench/fuzz_campaign.py) sets VERIFY_FUZZ_PROFILE=campaign for 10,000 each.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("default", max_examples=40)
_hsettings.register_profile(
    "campaign", max_examples=int(__import__("os").environ.get("VERIFY_FUZZ_EXAMPLES", "10000"))
)
_hsettings.load_profile(__import__("os").environ.get("VERIFY_FUZZ_PROFILE", "default"))

"""One-shot commands load only what they use: no encoder, no TUI, no web-page extraction.

Scripts call `verify` in loops; every module a command imports without needing it is paid on
every call. Checked in a fresh interpreter (sys.modules after the command ran), not timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

HEAVY = ("textual", "numpy", "tokenizers", "trafilatura", "lxml", "verify.embed", "verify.ui")
SQLITE_ONLY = ("psycopg", "verify.store.postgres", "verify.store.pgschema")
"""The PostgreSQL driver and backend: a casebook file never loads them."""


def _loaded_after(*args: str) -> tuple[int, set[str]]:
    code = (
        "import contextlib, io, sys\n"
        "from verify.cli import main\n"
        "quiet = io.StringIO()\n"
        "with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):\n"
        f"    code = main({list(args)!r})\n"
        "print(code)\n"
        "print(' '.join(sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    status, modules = out.stdout.splitlines()[-2:]
    return int(status), set(modules.split())


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def _claim_id() -> str:
    return str(json.loads(SAMPLE.read_text("utf-8"))["claims"][0]["id"])


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--json"),
        ("show", "CLAIM"),
        ("show", "CLAIM", "--json"),
        ("verdict", "CLAIM", "false", "--yes"),
    ],
)
def test_one_shot_commands_do_not_load_the_encoder_or_the_tui(
    args: tuple[str, ...], sample_path: Path
) -> None:
    argv = [a.replace("CLAIM", _claim_id()) for a in args]
    status, modules = _loaded_after(*argv, "--casebook", str(sample_path))
    assert status == 0
    assert "verify.store" in modules  # the command really ran against the casebook
    assert _heavy(modules) == []
    assert not [m for m in modules if m.split(".")[0] == "psycopg" or m in SQLITE_ONLY]


def test_help_loads_no_command_machinery() -> None:
    status, modules = _loaded_after("--help")
    assert status == 0
    assert _heavy(modules) == []
    # Listing the commands needs none of the casebook or its models.
    assert not {"verify.store", "verify.models", "pydantic"} & modules


def test_a_verdict_leaves_the_claims_index_entries_alone(sample_path: Path) -> None:
    # The verdict does not change what the claim is matched on, so the words index is not
    # rebuilt (which would load the stemmer) and "already checked?" still finds the claim.
    from verify.store import Store

    claim = _claim_id()
    argv = ("verdict", claim, "false", "--yes", "--casebook", str(sample_path))
    status, modules = _loaded_after(*argv)
    assert status == 0 and "snowballstemmer" not in modules
    with Store.open(sample_path) as store:
        text = store.get_claim(claim).text
        assert store.get_claim(claim).verdict is not None
        assert store.similar(text, top=1)[0].claim_id == claim

"""One-shot commands load only what they use: no encoder, no TUI, no web-page extraction.

Scripts call `verify` in loops; every module a command imports without needing it is paid on
every call. Checked in a fresh interpreter (sys.modules after the command ran), not timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

HEAVY = (
    "textual",
    "numpy",
    "tokenizers",
    "trafilatura",
    "lxml",
    "verify.embed",
    "verify.ui",
    # pydantic's plugin finder imports importlib.metadata (and the email package) even when
    # plugins are off; verify answers for it then (verify/models.py).
    "importlib.metadata",
    "email",
    # argparse imports shutil for the terminal's width; the CLI's formatter finds it without.
    "shutil",
    "difflib",
)
READ_ONLY_UNNEEDED = (
    "verify.match",
    "verify.search",
    "verify.importlog",
    "verify.lang.words",
    "verify.lang.sentences",
    "verify.lang.attribution_ru",
    "verify.lang.marks",
    "verify.lang.encoder",
    "verify.lang.reranker",
)
"""What reading a claim or the list does without: the matching and full-text index code and
the language tools (naming an account's language, which `show` does, needs only the detector)."""
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
        # A module registered to load on first use (verify.lazy) and never used did not load.
        "print(' '.join(n for n, m in sys.modules.items() if type(m).__name__ != '_LazyModule'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    status, modules = out.stdout.splitlines()[-2:]
    return int(status), set(modules.split())


def _heavy(modules: set[str]) -> list[str]:
    return _loaded(modules, HEAVY)


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in names))


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
    if args[0] != "verdict":  # a verdict rewrites the claim's full-text entries
        assert _loaded(modules, READ_ONLY_UNNEEDED) == []


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


def test_pydantic_plugins_are_still_found_when_only_some_are_turned_off() -> None:
    # verify answers for pydantic's plugin finder only when every plugin is off; with another
    # setting, pydantic's own finder runs (and reads the installed packages' metadata).
    code = (
        "import sys\n"
        "from verify.models import TextPosition\n"
        "assert TextPosition.model_validate({'start': 1, 'end': 2}).end == 2\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    for setting, finder_ran in (("some-plugin", "True"), ("__all__", "False"), (None, "False")):
        env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
        if setting is not None:
            env["PYDANTIC_DISABLE_PLUGINS"] = setting
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
        )
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.split() == [finder_ran], setting


@pytest.mark.parametrize("columns", [None, "50", "0", "-3", "wide", "200"])
def test_help_width_is_the_one_shutil_would_give(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from verify.cli import _columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("LINES", raising=False)
    assert _columns() == shutil.get_terminal_size().columns


def test_a_lazy_module_runs_on_first_use_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.lazy import lazy

    pkg = tmp_path / "lazypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "inner.py").write_text("import builtins\nbuiltins.lazy_ran = True\nVALUE = 7\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import builtins

    monkeypatch.setattr(builtins, "lazy_ran", False, raising=False)
    monkeypatch.delitem(sys.modules, "lazypkg", raising=False)
    monkeypatch.delitem(sys.modules, "lazypkg.inner", raising=False)
    import lazypkg

    module = lazy("lazypkg.inner")
    assert builtins.lazy_ran is False
    assert lazy("lazypkg.inner") is module
    import lazypkg.inner

    assert lazypkg.inner.VALUE == 7 and builtins.lazy_ran is True
    with pytest.raises(ModuleNotFoundError):
        lazy("lazypkg.missing")
    del lazypkg


def test_validating_a_claim_compiles_no_tokenizer_pattern() -> None:
    # pydantic reads each default factory's signature; a builtin type's (`list`) is parsed with
    # the tokenizer, whose one large pattern is then compiled on every start.
    code = (
        "import sys\n"
        "from verify.models import Claim\n"
        "Claim.model_validate({'id': 'c-1', 'text': 'x', 'created': '2024-01-01T00:00:00Z',\n"
        "    'updated': '2024-01-01T00:00:00Z'}, strict=False)\n"
        "tok = sys.modules.get('tokenize')\n"
        "print(tok._compile.cache_info().currsize if tok else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["0"]

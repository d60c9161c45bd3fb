"""The core stays usable without the UI layer."""

import pkgutil
import subprocess
import sys

import verify


def core_modules() -> list[str]:
    """Every module of the package outside verify.ui, found by walking it, not listed by hand."""
    found = [
        m.name
        for m in pkgutil.walk_packages(verify.__path__, "verify.")
        if m.name != "verify.ui" and not m.name.startswith("verify.ui.")
    ]
    return ["verify", *found]


def test_the_walk_finds_the_core() -> None:
    names = core_modules()
    for expected in ("verify.store", "verify.ingest.grouping", "verify.embed", "verify.cli"):
        assert expected in names
    assert not any(n.startswith("verify.ui") for n in names)


def test_core_does_not_import_textual_or_the_ui() -> None:
    # All of the core imported in one fresh interpreter: if any module pulled in Textual or
    # the UI at import time, it would be in sys.modules afterwards.
    modules = [n for n in core_modules() if not n.endswith(".__main__")]  # that one runs the CLI
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] == 'textual'"
        " or m == 'verify.ui' or m.startswith('verify.ui.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-1000:]
    assert out.stdout.strip() == ""


def test_schema_version_matches_latest_migration() -> None:
    from verify.migrations import LATEST
    from verify.models import SCHEMA_VERSION

    assert SCHEMA_VERSION == LATEST

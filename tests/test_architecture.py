"""The core stays usable without the UI layer."""

import subprocess
import sys

CORE = [
    "verify.models",
    "verify.store",
    "verify.portable",
    "verify.importers",
    "verify.anchor",
    "verify.grading",
    "verify.integrity",
    "verify.report.markdown",
    "verify.report.claimreview",
    "verify.cli",
    "verify.cli.common",
    "verify.cli.claims",
    "verify.cli.casebook",
    "verify.cli.analysis",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_schema_version_matches_latest_migration() -> None:
    from verify.migrations import LATEST
    from verify.models import SCHEMA_VERSION

    assert SCHEMA_VERSION == LATEST

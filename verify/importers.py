"""Reading claims from outside: portable JSON, JSON lines, TSV/CSV, ClaimReview JSON-LD.

Every record is validated before anything is written, and a whole file lands as one
transaction, so a bad line leaves the casebook as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from verify import match, portable
from verify.errors import VerifyError
from verify.ids import stable_id
from verify.inputs import read_input
from verify.models import Claim, ClaimStatus, Settings, Verdict
from verify.store import Store
from verify.textsafe import one_line

MAX_IMPORT_BYTES = 512 * 1024 * 1024
_DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass
class Record:
    """One external claim, before it becomes a Claim."""

    ref: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    where: str = ""


def read_text(path: Path | str) -> str:
    """A file's text for import; `-` reads standard input."""
    data, name = read_input(str(path), MAX_IMPORT_BYTES)
    if b"\x00" in data:
        raise VerifyError(f"{name} contains NUL bytes: not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VerifyError(f"{name} is not valid UTF-8 (byte {exc.start})") from None


def detect_format(path: str, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return "jsonl"  # several objects, one per line
        except RecursionError:
            raise VerifyError("JSON nested too deeply") from None
        if portable.is_portable(data):
            return "json"
        return "claimreview"
    return "tsv"


def parse_jsonl(text: str) -> list[Record]:
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise VerifyError(f"line {lineno}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise VerifyError(f"line {lineno}: JSON nested too deeply") from None
        if not isinstance(obj, dict):
            raise VerifyError(f"line {lineno}: expected a JSON object")
        records.append(_record(obj, f"line {lineno}"))
    return records


def parse_table(text: str, delimiter: str) -> list[Record]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    names = [n.strip().lower().strip("<>") for n in (reader.fieldnames or [])]
    if names and names[0] == "":
        names[0] = "id"  # archives like CLEF's leave the id column's header empty
    if "text" not in names and "vclaim" not in names:
        raise VerifyError("line 1: the header needs an 'id' and a 'text' column")
    reader.fieldnames = names
    records = []
    try:
        for row in reader:
            lineno = reader.line_num
            if None in row:
                raise VerifyError(f"line {lineno}: more fields than the header names")
            obj: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
            if "text" not in obj and "vclaim" in obj:
                obj["text"] = obj.pop("vclaim")
            records.append(_record(obj, f"line {lineno}"))
    except csv.Error as exc:
        raise VerifyError(f"line {reader.line_num}: {exc}") from None
    return records


def _record(obj: dict[str, Any], where: str) -> Record:
    ident = obj.get("id")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise VerifyError(f"{where}: missing 'text'")
    if ident is None or isinstance(ident, (dict, list, bool)):
        raise VerifyError(f"{where}: missing 'id'")
    fields = {k: v for k, v in obj.items() if k not in ("id", "text")}
    return Record(ref=str(ident), text=text.strip(), fields=fields, where=where)


def _claim_date(value: Any) -> str:
    """YYYY[-MM[-DD]] from an imported date (ISO times are cut to the day); else ''."""
    if not isinstance(value, str):
        return ""
    m = _DATE_RE.match(value.strip())
    return m.group(0) if m else ""


def _reviewed_at(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _label_for(settings: Settings, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    wanted = re.sub(r"[\s_]+", "-", value.strip().lower())
    for label in settings.scale:
        if wanted in (label.label, label.alternate_name.lower().replace(" ", "-")):
            return label.label
    return None


def records_to_claims(store: Store, records: Iterable[Record]) -> list[Claim]:
    """Claims for the records not already in the casebook (matched by external id)."""
    settings = store.settings()
    now = store.clock()
    claims: list[Claim] = []
    seen: set[str] = set()
    for rec in records:
        if rec.ref in seen or store.find_by_ref(rec.ref):
            continue
        seen.add(rec.ref)
        extra = dict(rec.fields)
        claimant = extra.pop("claimant", "")
        if not isinstance(claimant, str):
            extra["claimant"] = claimant
            claimant = ""
        date = _claim_date(extra.get("date"))
        if date:
            extra.pop("date")
        label = _label_for(settings, extra.get("verdict"))
        verdict = None
        if label is not None:
            extra.pop("verdict")
            rationale = extra.pop("rationale", "")
            reviewer = extra.pop("reviewer", "")
            verdict = Verdict(
                label=label,
                rationale=rationale if isinstance(rationale, str) else "",
                reviewer=reviewer if isinstance(reviewer, str) else "",
                at=_reviewed_at(extra.pop("reviewed", None)) or now,
            )
        tags = extra.pop("tags", [])
        if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
            extra["tags"] = tags
            tags = []
        try:
            claim = Claim(
                id=stable_id("c", "ref", rec.ref),
                ref=rec.ref,
                text=rec.text,
                claimant=claimant,
                date=date,
                tags=tags,
                status=ClaimStatus.decided if verdict else ClaimStatus.open,
                verdict=verdict,
                extra=extra,
                created=now,
                updated=now,
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise VerifyError(f"record {one_line(rec.ref, 40)}: {field}: {err['msg']}") from None
        claims.append(claim)
    return claims


def add_claims(
    store: Store,
    claims: list[Claim],
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """All claims of one import in one transaction, logged as one event."""
    # Only new claims are encoded: re-importing an archive must not cost minutes of encoding.
    texts = [c.text for c in store.unstored(claims)]
    with match.prepared(texts, progress), store.transaction():
        for claim in claims:
            if store.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim.id,)).fetchone():
                continue
            store.tx_write_claim_row(claim)
        store.tx_log(
            "import",
            "casebook",
            None,
            {"source": source, "count": len(claims), "ids": [c.id for c in claims[:1000]]},
        )


def import_file(
    store: Store,
    path: str,
    fmt: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Import a file into the casebook; returns counts of what was added and skipped."""
    from verify.report import claimreview

    text = read_text(path)
    if fmt == "auto":
        fmt = detect_format(path, text)
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise VerifyError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise VerifyError("JSON nested too deeply") from None
        if not portable.is_portable(data):
            raise VerifyError('not a portable verify casebook (no "format": "verify-casebook")')
        return portable.import_casebook(store, data, progress)
    if fmt == "jsonl":
        records = parse_jsonl(text)
    elif fmt in ("tsv", "csv"):
        records = parse_table(text, "\t" if fmt == "tsv" else ",")
    elif fmt == "claimreview":
        records = claimreview.parse(text, warn)
    else:
        raise VerifyError(f"unknown import format {fmt!r}")
    claims = records_to_claims(store, records)
    add_claims(store, claims, Path(path).name if path != "-" else "stdin", progress)
    return {"claims": len(claims), "skipped": len(records) - len(claims)}

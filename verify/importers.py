"""Reading claims from outside: portable JSON, JSON lines, TSV/CSV, ClaimReview JSON-LD.

Every record is validated before anything is written (the same round trip through JSON that
a stored claim makes when it is read back), so a bad line leaves the casebook as it was.

JSON lines and tables are streamed: read twice (once to validate, once to write) and written
in batches of BATCH claims, each in its own short transaction, so memory stays flat however
long the file and no other reviewer waits minutes on an import. The claims' vectors (what
"already checked?" compares meanings with) are encoded afterwards, outside those
transactions, and written a batch at a time; a look-up meanwhile encodes the few candidates
still without one, so it ranks as it will once all are in.
All batches of one import are logged under one import id and `verify undo` takes them back
together. If an import is interrupted (a crash, a full disk), the batches already saved stay,
each whole and indexed by words; running the same import again adds only what is missing,
vectors included.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from verify import importlog, match, paths, portable
from verify.errors import VerifyError
from verify.ids import stable_id
from verify.inputs import read_input
from verify.models import Claim, ClaimStatus, Settings, Verdict
from verify.store import Store, dump_json
from verify.textsafe import clean_line, one_line
from verify.vectorfill import fill_vectors

MAX_IMPORT_BYTES = 512 * 1024 * 1024
"""Whole-document formats (portable JSON, ClaimReview) are parsed in memory: at most this."""
BATCH = 1000
"""Claims encoded and written per transaction in a streamed import."""
_DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass
class Record:
    """One external claim, before it becomes a Claim."""

    ref: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    where: str = ""


def read_text(path: Path | str, shown: str | None = None) -> str:
    """A file's text for import; `-` reads standard input. `shown` names it in messages."""
    try:
        data, name = read_input(str(path), MAX_IMPORT_BYTES)
    except VerifyError as exc:
        if shown is None:
            raise
        raise VerifyError(str(exc).replace(str(path), shown)) from None
    name = shown or name
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
    return list(iter_jsonl(text.splitlines()))


def iter_jsonl(lines: Iterable[str]) -> Iterator[Record]:
    """Records from JSON lines, one at a time."""
    for lineno, line in enumerate(lines, 1):
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
        yield _record(obj, f"line {lineno}")


def parse_table(text: str, delimiter: str) -> list[Record]:
    return list(iter_table(io.StringIO(text, newline=""), delimiter))


def iter_table(lines: Iterable[str], delimiter: str) -> Iterator[Record]:
    """Records from a TSV/CSV table with a header line, one at a time."""
    reader = csv.DictReader(lines, delimiter=delimiter)
    try:
        names = [n.strip().lower().strip("<>") for n in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise VerifyError(f"line 1: {exc}") from None
    if names and names[0] == "":
        names[0] = "id"  # archives like CLEF's leave the id column's header empty
    if "text" not in names and "vclaim" not in names:
        raise VerifyError("line 1: the header needs an 'id' and a 'text' column")
    reader.fieldnames = names
    try:
        for row in reader:
            lineno = reader.line_num
            if None in row:
                raise VerifyError(f"line {lineno}: more fields than the header names")
            obj: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
            if "text" not in obj and "vclaim" in obj:
                obj["text"] = obj.pop("vclaim")
            yield _record(obj, f"line {lineno}")
    except csv.Error as exc:
        raise VerifyError(f"line {reader.line_num}: {exc}") from None


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
    wanted = re.sub(r"[\s_]+", "-", clean_line(value).strip().lower())
    for label in settings.scale:
        if wanted in (label.label, label.alternate_name.lower().replace(" ", "-")):
            return label.label
    return None


def _label_by_value(settings: Settings, value: Any) -> str | None:
    """The first label on the scale with this ClaimReview ratingValue (1 worst ... 5 best)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return next((r.label for r in settings.scale if r.rating_value == round(value)), None)


def _verdict_label(settings: Settings, extra: dict[str, Any], where: str) -> str | None:
    """The scale's label for a record's verdict, by name or by rating value; None when the
    record has none. A verdict the scale does not have is refused, not stored as it came."""
    given = extra.get("verdict")
    label = _label_for(settings, given) or _label_by_value(settings, extra.get("rating_value"))
    if label is None and given not in (None, ""):
        labels = ", ".join(r.label for r in settings.scale)
        raise VerifyError(
            f"{where}: verdict {one_line(str(given), 40)!r} is not on the casebook's rating "
            f"scale ({labels})"
        )
    extra.pop("rating_value", None)
    return label


def to_claim(rec: Record, settings: Settings, now: datetime) -> Claim:
    """The claim an external record becomes, exactly as it will read back once stored."""
    extra = dict(rec.fields)
    claimant = extra.pop("claimant", "")
    if not isinstance(claimant, str):
        extra["claimant"] = claimant
        claimant = ""
    date = _claim_date(extra.get("date"))
    if date:
        extra.pop("date")
    where = f"record {one_line(rec.ref, 40)}" + (f" ({rec.where})" if rec.where else "")
    label = _verdict_label(settings, extra, where)
    verdict = None
    if label is not None:
        extra.pop("verdict", None)
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
        # What is stored must read back (a record nested too deeply is accepted here but
        # refused by the JSON reader): the same round trip every update goes through.
        return Claim.model_validate_json(dump_json(claim))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        message = f"{field}: {err['msg']}" if field else err["msg"]
    except (ValueError, RecursionError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else "nested too deeply"
    where = f" ({rec.where})" if rec.where else ""
    raise VerifyError(f"record {one_line(rec.ref, 40)}: {message}{where}")


def is_known(store: Store, rec: Record, settings: Settings) -> bool:
    """Whether the casebook already holds this record's claim.

    By external id, and for ClaimReview also by url; a casebook's own ClaimReview export names
    a claim that has no external id by its claim id, and its url by the claim id as well.
    """
    if store.find_by_ref(rec.ref):
        return True
    ids = [rec.ref]
    url = rec.fields.get("url")
    if isinstance(url, str) and url:
        if store.find_by_ref(url):
            return True
        base = settings.publisher_url.rstrip("/")
        for prefix in ("urn:verify:claim:", f"{base}/claims/" if base else None):
            if prefix and url.startswith(prefix):
                ids.append(url[len(prefix) :])
    query = "SELECT 1 FROM claims WHERE id = ?"
    return any(store.conn.execute(query, (i,)).fetchone() for i in ids)


def records_to_claims(store: Store, records: Iterable[Record]) -> list[Claim]:
    """Claims for the records not already in the casebook (see `is_known`)."""
    settings = store.settings()
    now = store.clock()
    claims: list[Claim] = []
    seen: set[str] = set()
    for rec in records:
        if rec.ref in seen or is_known(store, rec, settings):
            continue
        seen.add(rec.ref)
        claims.append(to_claim(rec, settings, now))
    return claims


def add_claims(
    store: Store,
    claims: Iterable[Claim],
    source: str,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
) -> int:
    """Write claims as one import, in batches (see the module's docstring); returns how many
    were added. Claims whose id is already in the casebook are left as they are."""
    target = importlog.new_target()
    added = done = 0
    for batch in _batched(claims, BATCH):
        added += _write_batch(store, target, source, list(batch))
        done += len(batch)
        if progress is not None and total:
            progress(min(done, total), total)
    fill_vectors(store)
    return added


_T = TypeVar("_T")


def _batched(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def _write_batch(store: Store, target: str, source: str, claims: list[Claim]) -> int:
    # Claims are saved (and searchable) first; their vectors follow in fill_vectors, so no
    # write waits on encoding and a re-imported archive costs none.
    fresh = store.unstored(claims)
    if not fresh:
        return 0
    with match.vectors_later(), store.transaction():
        query = "SELECT 1 FROM claims WHERE id = ?"
        # Another process may have written some of them since: those are left alone.
        written = [c for c in fresh if store.conn.execute(query, (c.id,)).fetchone() is None]
        for claim in written:
            store.tx_write_claim_row(claim)
        if written:
            importlog.tx_log(store, target, source, claims=written)
    return len(written)


def import_file(
    store: Store,
    path: str,
    fmt: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Import a file into the casebook; returns counts of what was added and skipped."""
    from verify.report import claimreview

    with _spooled(path) as (local, name):
        if fmt == "auto":
            fmt = _sniff(local)
        if fmt in ("jsonl", "tsv", "csv"):
            delimiter = "\t" if fmt == "tsv" else ","

            def records() -> Iterator[Record]:
                lines = _lines(local, name)
                if fmt == "jsonl":
                    return iter_jsonl(lines)
                return iter_table(lines, delimiter)

            return _import_stream(store, records, name, progress)
        text = read_text(local, name)
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
            return portable.import_casebook(store, data, progress, source=name)
        if fmt == "jsonl":
            return _import_stream(store, lambda: iter_jsonl(text.splitlines()), name, progress)
        if fmt == "claimreview":
            parsed = claimreview.parse(text, warn)
            return _import_stream(store, lambda: iter(parsed), name, progress)
        if fmt in ("tsv", "csv"):
            delimiter = "\t" if fmt == "tsv" else ","
            rows = lambda: iter_table(io.StringIO(text, newline=""), delimiter)  # noqa: E731
            return _import_stream(store, rows, name, progress)
        raise VerifyError(f"unknown import format {fmt!r}")


def _import_stream(
    store: Store,
    records: Callable[[], Iterator[Record]],
    source: str,
    progress: Callable[[int, int], None] | None,
) -> dict[str, int]:
    """Validate every record, then write the new ones in batches (two passes, flat memory)."""
    settings = store.settings()
    now = store.clock()
    total = 0
    for rec in records():
        to_claim(rec, settings, now)
        total += 1
    target = importlog.new_target()
    added = done = 0
    for batch in _batched(records(), BATCH):
        seen: set[str] = set()
        claims = []
        for rec in batch:
            # Earlier batches are in the casebook by now, so a repeat across batches is found
            # there; within a batch, `seen` finds it.
            if rec.ref in seen or is_known(store, rec, settings):
                continue
            seen.add(rec.ref)
            claims.append(to_claim(rec, settings, now))
        added += _write_batch(store, target, source, claims) if claims else 0
        done += len(batch)
    fill_vectors(store, progress)
    return {"claims": added, "skipped": total - added}


@contextlib.contextmanager
def _spooled(path: str) -> Iterator[tuple[Path, str]]:
    """A local file to read (twice) and the name to show; standard input is copied first."""
    if path != "-":
        local = Path(path)
        if local.is_dir():
            raise VerifyError(f"{path} is a directory, not a file")
        if not local.exists():
            raise VerifyError(f"cannot read {path}: No such file or directory")
        paths.refuse_special(local, "file to import")  # a FIFO would block the read forever
        yield local, local.name
        return
    with tempfile.TemporaryDirectory(prefix="verify-import-") as folder:
        local = Path(folder) / "stdin"
        with local.open("wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield local, "stdin"


def _lines(path: Path, name: str) -> Iterator[str]:
    """The decoded lines of a file, read as they are needed."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise VerifyError(f"cannot read {name}: {exc.strerror}") from None
    with fh:
        for lineno, raw in enumerate(fh, 1):
            if b"\x00" in raw:
                raise VerifyError(f"{name} contains NUL bytes: not a text file")
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise VerifyError(
                    f"{name} is not valid UTF-8 (line {lineno}, byte {exc.start})"
                ) from None
            yield line


def _sniff(path: Path) -> str:
    """A format that is streamed (jsonl, tsv, csv), or "auto": a whole JSON document."""
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    try:
        with path.open("rb") as fh:
            first = fh.readline(1 << 20).decode("utf-8-sig", "replace").strip()
            while not first and fh.tell() < (1 << 20):
                line = fh.readline(1 << 20)
                if not line:
                    break
                first = line.decode("utf-8", "replace").strip()
    except OSError as exc:
        raise VerifyError(f"cannot read {path}: {exc.strerror}") from None
    if not first.startswith(("{", "[")):
        return "tsv"
    try:
        obj = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        return "auto"
    # One complete object on the first line that is not a JSON-LD or portable document: lines.
    if isinstance(obj, dict) and not ({"@type", "@context", "format"} & obj.keys()):
        return "jsonl"
    return "auto"

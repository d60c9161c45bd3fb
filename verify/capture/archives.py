"""WARC and WACZ files made elsewhere (Browsertrix, ArchiveWeb.page, auto-archiver), read as
untrusted input: bounded in every size, each HTML page becoming a document.

The file is split into records here, with bounded reads, before warcio parses any of them, so
an endless header line, a gzip bomb or a truncated member costs a bounded amount of memory and
time and ends in one clear message.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from verify.capture import package, records
from verify.errors import VerifyError
from verify.ingest import documents
from verify.ingest.documents import Archived

MAX_RECORD = documents.MAX_BYTES + 64 * 1024
"""A record (headers and block) larger than this is skipped: a page is at most 20 MB."""
MAX_TOTAL = 4 * 2**30
"""An archive that holds more than this once decompressed is refused (a zip or gzip bomb)."""
MAX_PAGES = 500
"""Pages beyond this many in one archive are left out, with a warning."""
MAX_HEADER = 64 * 1024
"""A record's WARC header block may be this long at most."""
MAX_MEMBERS = 10_000
"""A WACZ may list this many files at most."""
_CHUNK = 256 * 1024
_HTML = ("text/html", "application/xhtml+xml")


class _Refused(VerifyError):
    pass


@dataclass
class _Raw:
    """One record's bytes as they stand in the file, and its headers, parsed."""

    data: bytes
    record_id: str
    type: str
    concurrent_to: tuple[str, ...]


class _Budget:
    """Decompressed bytes read from one archive, against MAX_TOTAL."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.used = 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > MAX_TOTAL:
            raise _Refused(
                f"{self.name} holds more than {MAX_TOTAL // 2**20:,} MB once decompressed; "
                "split it or import the pages it needs"
            )


def _gzip_members(fh: IO[bytes], budget: _Budget) -> Iterator[bytes | None]:
    """Each gzip member's content, or None for one over MAX_RECORD (read through, dropped)."""
    pending = b""
    while True:
        data = pending or fh.read(_CHUNK)
        if not data.strip(b"\x00"):
            if not data:
                return
            pending = b""
            continue
        d = zlib.decompressobj(wbits=31)
        out = bytearray()
        too_big = False
        while not d.eof:
            if not data:
                data = fh.read(_CHUNK)
                if not data:
                    raise _Refused(f"{budget.name} is truncated (it ends inside a gzip member)")
            try:
                chunk = d.decompress(data, _CHUNK)
            except zlib.error:
                raise _Refused(f"{budget.name} is not valid gzip (damaged data)") from None
            data = d.unconsumed_tail
            budget.spend(len(chunk))
            if too_big:
                continue
            if len(out) + len(chunk) > MAX_RECORD:
                too_big, out = True, bytearray()
            else:
                out += chunk
        pending = d.unused_data + data
        yield None if too_big else bytes(out)


def _records(fh: IO[bytes], budget: _Budget, where: str) -> Iterator[bytes | None]:
    """Each record of a plain WARC stream, byte for byte; None for one over MAX_RECORD."""
    while True:
        line = fh.readline(MAX_HEADER)
        while line in (b"\r\n", b"\n"):
            line = fh.readline(MAX_HEADER)
        if not line:
            return
        if not line.startswith(b"WARC/"):
            raise _Refused(f"{where}: not a WARC record where one should start")
        head = [line]
        size = len(line)
        length = None
        while True:
            line = fh.readline(MAX_HEADER)
            size += len(line)
            if not line or size > MAX_HEADER:
                raise _Refused(f"{where}: a record header is truncated or too long")
            head.append(line)
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    raise _Refused(f"{where}: a record's Content-Length is not a number") from None
        if length is None or length < 0:
            raise _Refused(f"{where}: a record has no Content-Length")
        budget.spend(size)
        if size + length > MAX_RECORD:
            left = length
            while left:
                got = fh.read(min(left, _CHUNK))
                if not got:
                    raise _Refused(f"{where} is truncated (it ends inside a record)")
                left -= len(got)
                budget.spend(len(got))
            fh.readline(4)
            fh.readline(4)
            yield None
            continue
        block = fh.read(length)
        if len(block) < length:
            raise _Refused(f"{where} is truncated (it ends inside a record)")
        budget.spend(length)
        tail = fh.readline(4) + fh.readline(4)
        yield b"".join(head) + block + (tail if tail == b"\r\n\r\n" else b"\r\n\r\n")


def _warc_records(fh: IO[bytes], budget: _Budget, where: str) -> Iterator[bytes | None]:
    """Records of a WARC stream, gzipped (one member per record, or several) or plain."""
    head = fh.read(2)
    rest: Any = _Prefixed(head, fh)
    if head == b"\x1f\x8b":
        for member in _gzip_members(rest, budget):
            if member is None:
                yield None
                continue
            yield from _records(io.BytesIO(member), budget, where)
    else:
        yield from _records(rest, budget, where)


class _Prefixed(io.RawIOBase):
    """A stream with a few bytes already read put back in front."""

    def __init__(self, prefix: bytes, fh: IO[bytes]) -> None:
        self.prefix = prefix
        self.fh = fh

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self.prefix:
            if n < 0:
                got, self.prefix = self.prefix + self.fh.read(), b""
                return got
            got, self.prefix = self.prefix[:n], self.prefix[n:]
            return got + (self.fh.read(n - len(got)) if n > len(got) else b"")
        return self.fh.read(n)

    def readline(self, limit: int | None = -1) -> bytes:
        line = b""
        cap = limit if limit is not None and limit >= 0 else None
        while cap is None or len(line) < cap:
            c = self.read(1)
            if not c:
                break
            line += c
            if c == b"\n":
                break
        return line


def _parse(data: bytes) -> tuple[_Raw, object] | None:
    """The record's identity and warcio's parse of it; None when it is no WARC record."""
    try:
        rec = next(iter(ArchiveIterator(io.BytesIO(data))))
    except (ArchiveLoadFailed, StopIteration, ValueError, OSError, EOFError):
        return None
    except Exception:  # warcio's parsers raise their own kinds on hostile bytes
        return None
    h = rec.rec_headers
    concurrent = tuple(v for k, v in h.headers if k.lower() == "warc-concurrent-to")
    raw = _Raw(data, h.get_header("WARC-Record-ID") or "", rec.rec_type or "", concurrent)
    return raw, rec


def _page(data: bytes, rec: object, name: str, warnings: list[str]) -> Archived | None:
    """A document for an HTML response record, or None (with the reason in `warnings`)."""
    http = getattr(rec, "http_headers", None)
    h = rec.rec_headers  # type: ignore[attr-defined]
    uri = h.get_header("WARC-Target-URI") or ""
    if not records.web_address(uri):
        return None  # counted with the records that are not pages
    if http is not None:
        if not (http.get_statuscode() or "").startswith("2"):
            return None
        media = http.get_header("Content-Type") or "application/octet-stream"
    else:  # a resource record: the page itself, typed by the WARC header
        media = h.get_header("Content-Type") or "application/octet-stream"
    if media.split(";")[0].strip().lower() not in _HTML:
        return None
    try:
        content = rec.content_stream().read(documents.MAX_BYTES + 1)  # type: ignore[attr-defined]
    except Exception as exc:  # warcio's decoders raise many kinds on damaged bodies
        warnings.append(f"{name}: {uri[:200]}: the page cannot be decoded ({type(exc).__name__})")
        return None
    if len(content) > documents.MAX_BYTES:
        warnings.append(f"{name}: {uri[:200]}: larger than 20 MB once decoded, skipped")
        return None
    try:
        when = records.parse_date(h.get_header("WARC-Date") or "")
    except Exception:  # any date warcio cannot read, however it fails
        warnings.append(f"{name}: {uri[:200]}: no readable WARC-Date, skipped")
        return None
    try:
        return documents.archive(content, uri, media, retrieved=when)
    except VerifyError as exc:
        warnings.append(f"{name}: {uri[:200]}: {exc}, skipped")
        return None


def _from_stream(
    fh: IO[bytes], name: str, budget: _Budget, out: list[Archived], warnings: list[str]
) -> None:
    kept: dict[str, _Raw] = {}
    pages: list[tuple[_Raw, Archived]] = []
    skipped = oversized = over = 0
    for data in _warc_records(fh, budget, name):
        if data is None:
            oversized += 1
            continue
        parsed = _parse(data)
        if parsed is None:
            raise _Refused(f"{name}: a record cannot be parsed as WARC")
        raw, rec = parsed
        if raw.type in ("request", "metadata"):
            kept[raw.record_id] = raw
            continue
        if raw.type not in ("response", "resource"):
            continue
        if len(pages) + len(out) >= MAX_PAGES:
            over += 1
            continue
        archived = _page(data, rec, name, warnings)
        if archived is None:
            skipped += 1
            continue
        pages.append((raw, archived))
    for raw, archived in pages:
        # The request and metadata records made with the response travel with it.
        related = [r.data for r in kept.values() if raw.record_id in r.concurrent_to]
        archived.capture = records.from_records(
            [raw.data, *related], raw.record_id, archived.document.id, f"imported from {name}"
        )
        out.append(archived)
    if oversized:
        warnings.append(f"{name}: {oversized} record(s) over {MAX_RECORD // 2**20} MB skipped")
    if skipped:
        warnings.append(
            f"{name}: {skipped} record(s) that are not HTML pages at a web address skipped"
        )
    if over:
        warnings.append(f"{name}: {over} page(s) beyond the first {MAX_PAGES} left out")


def read(path: Path) -> list[Archived]:
    """The HTML pages of a WARC (.warc, .warc.gz) or WACZ file, each a document with its
    capture; refused whole (nothing saved) when the file is damaged or too big."""
    name = path.name
    budget = _Budget(name)
    out: list[Archived] = []
    warnings: list[str] = []
    if path.exists() and not path.is_file() and not path.is_dir():
        # A FIFO with no writer would block here for ever.
        raise VerifyError(f"{path} is not a regular file")
    try:
        with open(path, "rb") as fh:
            if path.name.lower().endswith(".wacz"):
                _from_wacz(fh, name, budget, out, warnings)
            else:
                _from_stream(fh, name, budget, out, warnings)
    except FileNotFoundError:
        raise VerifyError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise VerifyError(f"{path} is a directory") from None
    except OSError as exc:
        raise VerifyError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not out:
        raise VerifyError(f"{name} holds no HTML page to ingest")
    out[0].warnings = [*warnings, *out[0].warnings]
    return out


def _from_wacz(
    fh: IO[bytes], name: str, budget: _Budget, out: list[Archived], warnings: list[str]
) -> None:
    if not package.starts_as_zip(fh.read(4)):
        # A zip reader finds a zip at the end of any file: a picture with a WACZ after it
        # (a polyglot) is not a WACZ.
        raise _Refused(f"{name} is not a WACZ (it does not start as a zip file)")
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _Refused(f"{name} is not a WACZ (not a readable zip file)") from None
    with zf:
        try:
            warnings += package.check(zf, name, budget.spend)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            raise _Refused(f"{name}: its files cannot be read from the zip") from None
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _Refused(f"{name} lists more than {MAX_MEMBERS} files")
        warcs = []
        for info in infos:
            parts = info.filename.split("/")
            # Nothing is ever written to disk from the zip; names are checked all the same,
            # so a path like ../x or /etc/x is named rather than read.
            if info.filename.startswith("/") or ".." in parts or "\\" in info.filename:
                raise _Refused(f"{name} holds a file with an unsafe path: {info.filename[:100]!r}")
            if parts[0] == "archive" and info.filename.lower().endswith((".warc", ".warc.gz")):
                warcs.append(info)
        if not warcs:
            raise _Refused(f"{name} has no WARC files under archive/")
        for info in warcs:
            where = f"{name}/{info.filename}"
            try:
                with zf.open(info) as member:
                    _from_stream(member, where, budget, out, warnings)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                NotImplementedError,
                RuntimeError,  # an encrypted member
            ) as exc:
                raise _Refused(f"{where} cannot be read from the zip ({exc})") from None

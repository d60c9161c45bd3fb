"""Hostile archives end to end: escape sequences and script in addresses, pages that are
not web pages, a WACZ whose digests lie, a picture with a WACZ behind it."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.media_kit import jpeg, picture
from verify.capture import records, table, wacz
from verify.ingest import documents
from verify.models import utcnow
from verify.store import Store

PARA = (
    "<p>The harbour authority said that three ships were damaged in the storm on Monday "
    "night and that the port would reopen on Friday.</p>"
)
VERIFY = Path(sys.executable).with_name("verify")


def page(title: str, n: int = 0) -> bytes:
    body = PARA.replace("three", ["three", "four", "five", "six"][n % 4])
    html = f"<html><head><title>{title}</title></head><body><article>{body}</article></body>"
    return (html + "</html>").encode()


def warc(pages: list[tuple[str, bytes]], kind: str = "response") -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body in pages:
        if kind == "response":
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2025-03-01T10:00:00Z"},
            )
        else:
            rec = writer.create_warc_record(
                url,
                "resource",
                payload=io.BytesIO(body),
                length=len(body),
                warc_content_type="text/html",
                warc_headers_dict={"WARC-Date": "2025-03-01T10:00:00Z"},
            )
        writer.write_record(rec)
    return buf.getvalue()


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The installed command, so what reaches the terminal is what a user would see."""
    return subprocess.run([str(VERIFY), *args], capture_output=True, timeout=120)


def test_an_address_with_escapes_never_reaches_the_terminal(tmp_path: Path) -> None:
    src = tmp_path / "esc.warc.gz"
    evil = "https://example.org/a b\x1b]0;pwned\x07\x1b[31m"
    src.write_bytes(warc([(evil, page("T")), ("https://example.org/ok", page("OK", 1))]))
    got = run("--casebook", str(tmp_path / "b.casebook"), "ingest", str(src))
    assert got.returncode == 0, got.stderr
    assert b"\x1b" not in got.stdout + got.stderr and b"\x07" not in got.stdout + got.stderr
    with Store.open(tmp_path / "b.casebook") as s:
        # A page whose address is not a web address is not kept as one.
        assert [d.address for d in s.documents()] == ["https://example.org/ok"]


def test_script_addresses_are_not_pages(cli, tmp_path: Path) -> None:
    src = tmp_path / "js.warc.gz"
    src.write_bytes(
        warc(
            [
                ("javascript:alert(document.cookie)", page("JS")),
                ("data:text/html,<script>alert(1)</script>", page("DATA", 1)),
                ("https://example.org/fine", page("</script><script>alert(1)</script>", 2)),
            ],
            kind="resource",
        )
    )
    book = tmp_path / "b.casebook"
    got = cli("--casebook", str(book), "ingest", str(src))
    assert got.code == 0, got.err
    assert "2 record(s) that are not HTML pages at a web address skipped" in got.err
    out = tmp_path / "b.wacz"
    assert cli("--casebook", str(book), "export", "--format", "wacz", "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as zf:
        pages = zf.read("pages/pages.jsonl").decode()
        index = zf.read("indexes/index.cdxj").decode()
    assert "javascript:" not in pages + index and "data:" not in pages + index
    assert "https://example.org/fine" in pages


def test_a_kept_script_capture_is_never_offered_for_replay(tmp_path: Path) -> None:
    # A casebook that holds one already (written before, or by hand): the WACZ keeps the
    # bytes but lists no page or index entry a replaying browser would open.
    body = page("JS")
    data = warc([("javascript:alert(1)", body)], kind="resource")
    member = next(iter(records.read(data)))
    archived = documents.archive(body, "javascript:alert(1)", "text/html", retrieved=utcnow())
    capture = records.from_records(
        [__import__("gzip").decompress(data)], member.record_id, archived.document.id, "test"
    )
    archived.capture = capture
    with Store.open(tmp_path / "b.casebook") as s:
        table.store_archived(s, archived)
        built = b"".join(wacz.export(s))
    with zipfile.ZipFile(io.BytesIO(built)) as zf:
        assert "javascript:" not in zf.read("pages/pages.jsonl").decode()
        assert zf.read("indexes/index.cdxj") == b""


def _wacz(files: dict[str, bytes], seal: bool = True, lie: str = "", forged: bool = False) -> bytes:
    resources = [
        {
            "name": p,
            "path": p,
            "hash": "sha256:" + hashlib.sha256(b"other" if p == lie else d).hexdigest(),
            "bytes": len(d),
        }
        for p, d in files.items()
    ]
    package = json.dumps({"profile": "data-package", "resources": resources}).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for p, d in files.items():
            zf.writestr(p, d)
        zf.writestr("datapackage.json", package)
        if seal:
            digest = "sha256:" + hashlib.sha256(package + (b" " if forged else b"")).hexdigest()
            zf.writestr("datapackage-digest.json", json.dumps({"hash": digest}))
    return out.getvalue()


def test_a_wacz_whose_digests_lie_is_refused(cli, tmp_path: Path) -> None:
    files = {
        "archive/data.warc.gz": warc([("https://example.org/a", page("A"))]),
        "pages/pages.jsonl": b'{"format": "json-pages-1.0"}\n',
    }
    cases = {
        "warc": _wacz(files, lie="archive/data.warc.gz"),
        "pages": _wacz(files, lie="pages/pages.jsonl"),
    }
    sealed = _wacz(files)
    cases["seal"] = _wacz(files, forged=True)
    for name, data in cases.items():
        path = tmp_path / f"{name}.wacz"
        path.write_bytes(data)
        book = tmp_path / f"{name}.casebook"
        got = cli("--casebook", str(book), "ingest", str(path))
        assert got.code == 1, (name, got.out)
        assert got.err.count("\n") == 1 and "sha256" in got.err, got.err
    honest = tmp_path / "honest.wacz"
    honest.write_bytes(sealed)
    assert cli("--casebook", str(tmp_path / "h.casebook"), "ingest", str(honest)).code == 0


def test_a_picture_with_a_wacz_behind_it(cli, tmp_path: Path) -> None:
    inner = _wacz({"archive/data.warc.gz": warc([("https://example.org/a", page("A"))])})
    poly = jpeg(picture(8)) + inner
    as_wacz = tmp_path / "poly.wacz"
    as_wacz.write_bytes(poly)
    got = cli("--casebook", str(tmp_path / "b.casebook"), "ingest", str(as_wacz))
    assert got.code == 1 and got.err.count("\n") == 1 and "not a WACZ" in got.err
    # As a photo it is what it shows, with a note that a zip reader sees something else.
    as_photo = tmp_path / "poly.jpg"
    as_photo.write_bytes(poly)
    r = cli("--casebook", str(tmp_path / "b.casebook"), "media", str(as_photo), "--json")
    assert r.code == 0, r.err
    got_json = r.json_lines()[0]
    assert got_json["media_type"] == "image/jpeg"
    assert any("zip archive" in n for n in got_json["notes"])

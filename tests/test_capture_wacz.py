"""`verify export --format wacz`: a WACZ 1.1.1 that Webrecorder's validator accepts and whose
digests, index and pages a reader can re-check by hand."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.capture_helpers import liveblog_html, serving
from tests.conftest import need
from verify.store import Store

OTHER = (
    b"<html><head><title>Second</title></head><body><article><p>The harbour authority said "
    b"that three ships were damaged in the storm on Monday night.</p><p>Insurers said the "
    b"losses would exceed two million dollars this year.</p></article></body></html>"
)


BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


@pytest.fixture
def book(cli, casebook_path: Path) -> Path:
    path = casebook_path
    pages = {
        "/a": (200, [("Content-Type", "text/html; charset=utf-8")], liveblog_html()),
        "/b": (200, [("Content-Type", "text/html")], OTHER),
    }
    with serving(pages) as base:
        got = cli("--casebook", str(path), "ingest", f"{base}/a", f"{base}/b")
    assert got.code == 0, got.err
    return path


def _validator() -> list[str]:
    exe = shutil.which("wacz", path=os.path.dirname(sys.executable))
    need(exe is not None, "needs the wacz package (dev extra): pip install '.[dev]'")
    return [str(exe), "validate", "-f"]


def test_the_export_passes_wacz_validate(cli, book, tmp_path) -> None:
    out = tmp_path / "all.wacz"
    got = cli("--casebook", str(book), "export", "--format", "wacz", "-o", str(out))
    assert got.code == 0, got.err
    run = subprocess.run(
        [*_validator(), str(out)], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0 and "Validation succeeded" in run.stdout, run.stdout + run.stderr


def test_digests_index_and_pages_hold_by_hand(cli, book, tmp_path) -> None:
    out = tmp_path / "all.wacz"
    assert cli("--casebook", str(book), "export", "--format", "wacz", "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as zf:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        package = json.loads(zf.read("datapackage.json"))
        assert package["wacz_version"] == "1.1.1"
        for res in package["resources"]:
            data = zf.read(res["path"])
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert res["bytes"] == len(data)
        seal = json.loads(zf.read("datapackage-digest.json"))
        assert seal["hash"] == "sha256:" + hashlib.sha256(zf.read("datapackage.json")).hexdigest()
        warc = zf.read("archive/data.warc.gz")
        index = zf.read("indexes/index.cdxj").decode().splitlines()
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()]
    assert pages[0]["format"] == "json-pages-1.0"
    with Store.open(book, create=False) as s:
        docs = {d.address: d for d in s.documents()}
    assert {p["url"] for p in pages[1:]} == set(docs)
    assert index == sorted(index) and len(index) == 2
    for line in index:
        key, stamp, blob = line.split(" ", 2)
        entry = json.loads(blob)
        # Each index entry points at exactly one gzip member: the page's response record.
        member = gzip.decompress(
            warc[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
        )
        assert member.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response" in member
        assert entry["recordId"].encode() in member
        doc = docs[entry["url"]]
        assert member.rstrip(b"\r\n").endswith(doc_raw(book, doc.id))
        assert stamp == doc.retrieved.strftime("%Y%m%d%H%M%S")
        # SURT key: host (an address stays as it is), port, then the path.
        host_port, path = key.split(")", 1)
        assert host_port == urlsplit(entry["url"]).netloc and path == urlsplit(entry["url"]).path


def doc_raw(book: Path, doc_id: str) -> bytes:
    with Store.open(book, create=False) as s:
        return s.document_raw(doc_id)


def test_a_claims_wacz_holds_only_what_it_cites(cli, book, tmp_path) -> None:
    with Store.open(book, create=False) as s:
        claim = next(c for c in s.iter_claims() if "harbour" in c.text)
    out = tmp_path / "one.wacz"
    got = cli(
        "--casebook", str(book), "export", "--format", "wacz", "--claim", claim.id, "-o", str(out)
    )
    assert got.code == 0, got.err
    with zipfile.ZipFile(out) as zf:
        pages = zf.read("pages/pages.jsonl").decode().splitlines()
    assert len(pages) == 2 and pages[1].count("/b") == 1


def test_nothing_to_package_is_one_line(cli, sample_path, tmp_path) -> None:
    got = cli(
        "--casebook", str(sample_path), "export", "--format", "wacz", "-o", str(tmp_path / "x.wacz")
    )
    assert got.code == 1 and got.err.count("\n") == 1 and "no web capture" in got.err
    assert not (tmp_path / "x.wacz").exists()

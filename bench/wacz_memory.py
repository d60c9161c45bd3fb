"""Peak memory of `verify export --format wacz` at n and 10n captures: it should not grow
with the captures (the WARC goes through a temporary file, one capture in memory at a time).

    .venv/bin/python bench/wacz_memory.py [N]

Stores N and 10N captured pages (default 20; about 200 KB of WARC each, not compressible)
in fresh casebooks, exports each as a WACZ to a file under tracemalloc, and prints the peak
Python allocation of each export and their ratio; 1.0 is flat.
"""

from __future__ import annotations

import base64
import io
import os
import sys
import tempfile
import tracemalloc
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verify.capture import archives, table, wacz
from verify.cli.common import write_output
from verify.store import Store

PAGE_BYTES = 150_000


def warc_of(n: int) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(n):
        words = base64.b64encode(os.urandom(PAGE_BYTES * 3 // 4)).decode()
        text = " ".join(words[j : j + 9] for j in range(0, len(words), 9))
        body = f"<html><head><title>Page {i}</title></head><body><p>{text}</p></body></html>"
        data = body.encode()
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))],
            protocol="HTTP/1.1",
        )
        rec = writer.create_warc_record(
            f"https://example.org/page/{i}",
            "response",
            payload=io.BytesIO(data),
            length=len(data),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2025-03-01T10:00:00Z"},
        )
        writer.write_record(rec)
    return buf.getvalue()


def peak(n: int, folder: Path) -> tuple[int, int]:
    """(peak bytes allocated during the export, bytes of the WACZ written)."""
    source = folder / f"pages-{n}.warc.gz"
    source.write_bytes(warc_of(n))
    book = folder / f"book-{n}.casebook"
    with Store.open(book) as store:
        for archived in archives.read(source):
            table.store_archived(store, archived)
    out = folder / f"out-{n}.wacz"
    with Store.open(book) as store:
        tracemalloc.start()
        write_output(wacz.export(store), str(out))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return top, out.stat().st_size


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        small, small_size = peak(n, Path(tmp))
        large, large_size = peak(10 * n, Path(tmp))
    for count, top, size in ((n, small, small_size), (10 * n, large, large_size)):
        print(f"{count:>5} captures, WACZ {size / 1e6:6.1f} MB: peak {top / 1e6:6.1f} MB")
    print(f"peak at {10 * n} vs {n} captures: {large / small:.2f}x (1.0 is flat)")


if __name__ == "__main__":
    main()

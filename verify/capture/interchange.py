"""Captures in the portable JSON format: each capture's record with its WARC bytes in
base64, re-checked on the way in exactly as `verify check` re-checks a stored one."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any

from verify.capture import table, verification
from verify.capture.records import Capture
from verify.errors import VerifyError
from verify.store import Store
from verify.textsafe import one_line

FIELDS = (
    "id",
    "url",
    "captured",
    "response_record",
    "payload_digest",
    "payload_sha256",
    "document_id",
    "origin",
)


def export_records(store: Store) -> list[dict[str, Any]]:
    """Every capture in the casebook, oldest first, as portable records."""
    out = []
    for capture_id, _ in table.all_ids(store.conn):
        capture = table.load(store.conn, capture_id)
        record = capture.meta()
        record["warc_base64"] = base64.b64encode(capture.warc).decode("ascii")
        out.append(record)
    return out


def read_records(records: Any, has_document: Callable[[str], bool]) -> list[Capture]:
    """The captures of a portable file, each checked: its WARC bytes against its sha256 id,
    every record's own digests, and its response's content against a document that is in
    the file or the casebook. The first problem refuses the file in one line."""
    if records is None:
        return []
    if not isinstance(records, list):
        raise VerifyError("portable casebook: 'captures' is not a list")
    out = []
    for i, record in enumerate(records):
        where = f"captures[{i}]"
        if not isinstance(record, dict):
            raise VerifyError(f"{where}: not an object")
        values = {k: record.get(k) for k in FIELDS}
        missing = [k for k, v in values.items() if not isinstance(v, str)]
        if missing:
            raise VerifyError(f"{where}: {missing[0]} is missing or not text")
        try:
            warc = base64.b64decode(str(record.get("warc_base64")), validate=True)
            captured = datetime.fromisoformat(str(values["captured"]))
        except (ValueError, TypeError, binascii.Error):
            raise VerifyError(f"{where}: warc_base64 or captured is not readable") from None
        for _, what in verification.warc_problems(
            where, str(values["id"]), warc, str(values["response_record"]), values
        ):
            raise VerifyError(f"{where}: {one_line(what, 200)}")
        document_id = str(values["document_id"])
        if not has_document(document_id):
            raise VerifyError(
                f"{where}: its document {one_line(document_id, 12)} is neither in the file nor "
                "in the casebook"
            )
        fields = {k: str(v) for k, v in values.items() if k != "captured"}
        out.append(Capture(**fields, captured=captured, warc=warc))
    return out


def tx_insert(store: Store, captures: list[Capture]) -> int:
    """Inside the import's transaction: keep the captures not kept yet; how many were new.
    Not logged one by one: the file's own history says when each was made."""
    if captures and not table.has_table(store.conn):
        raise VerifyError("this casebook predates web captures; open it with verify to upgrade")
    return sum(table.tx_insert(store, c, log=False) for c in captures)

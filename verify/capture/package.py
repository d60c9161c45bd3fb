"""A WACZ's own word about its files: datapackage.json gives each file's sha256 and size,
datapackage-digest.json the sha256 of datapackage.json. Checked before anything is read from
the archive, so a WACZ changed after it was packaged is refused, not half believed."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from typing import Any

from verify.errors import VerifyError
from verify.textsafe import one_line

MAX_PACKAGE = 16 * 2**20
"""datapackage.json is an index of files: larger than this it is not one."""
_CHUNK = 256 * 1024


def starts_as_zip(head: bytes) -> bool:
    """Whether a file begins with a zip entry (a picture with a zip after it does not)."""
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def check(zf: zipfile.ZipFile, name: str, spend: Callable[[int], None]) -> list[str]:
    """Refuse the WACZ (VerifyError) when a file does not match its listed sha256 or size;
    warnings for what cannot be checked (no datapackage.json, a WARC it does not list)."""
    names = {i.filename: i for i in zf.infolist()}
    if "datapackage.json" not in names:
        return [f"{name} has no datapackage.json: its files' digests cannot be checked"]
    info = names["datapackage.json"]
    if info.file_size > MAX_PACKAGE:
        raise VerifyError(f"{name}: datapackage.json is larger than {MAX_PACKAGE // 2**20} MB")
    package_bytes = zf.read(info)
    _check_seal(zf, name, names, package_bytes)
    try:
        package = json.loads(package_bytes)
        resources = package.get("resources", []) if isinstance(package, dict) else None
    except (ValueError, RecursionError):
        resources = None
    if not isinstance(resources, list):
        raise VerifyError(f"{name}: datapackage.json is not a readable list of resources")
    listed: set[str] = set()
    for res in resources:
        path, digest, size = _resource(res, name)
        listed.add(path)
        member = names.get(path)
        if member is None:
            raise VerifyError(
                f"{name}: datapackage.json lists {one_line(path, 80)!r}, not in the zip"
            )
        if size is not None and size != member.file_size:
            raise VerifyError(
                f"{name}: {one_line(path, 80)} is not the size datapackage.json gives"
            )
        if _sha256(zf, member, spend) != digest:
            raise VerifyError(
                f"{name}: {one_line(path, 80)} does not match the sha256 datapackage.json gives "
                "(changed after it was packaged)"
            )
    unlisted = [
        p for p in names if p.startswith("archive/") and not p.endswith("/") and p not in listed
    ]
    if unlisted:
        return [f"{name}: {len(unlisted)} WARC file(s) not in datapackage.json, not checked"]
    return []


def _check_seal(
    zf: zipfile.ZipFile, name: str, names: dict[str, zipfile.ZipInfo], package: bytes
) -> None:
    info = names.get("datapackage-digest.json")
    if info is None:
        return
    if info.file_size > 64 * 1024:
        raise VerifyError(f"{name}: datapackage-digest.json is too large to be one")
    try:
        seal = json.loads(zf.read(info))
        stated = str(seal.get("hash", "")) if isinstance(seal, dict) else ""
    except (ValueError, RecursionError):
        stated = ""
    if stated != "sha256:" + hashlib.sha256(package).hexdigest():
        raise VerifyError(
            f"{name}: datapackage.json does not match the sha256 datapackage-digest.json gives"
        )


def _resource(res: Any, name: str) -> tuple[str, str, int | None]:
    if not isinstance(res, dict):
        raise VerifyError(f"{name}: datapackage.json lists a resource that is not an object")
    path, digest, size = res.get("path"), res.get("hash"), res.get("bytes")
    if not isinstance(path, str) or not isinstance(digest, str):
        raise VerifyError(f"{name}: datapackage.json lists a resource without path or hash")
    algorithm, _, hexdigest = digest.partition(":")
    if algorithm != "sha256" or len(hexdigest) != 64:
        raise VerifyError(
            f"{name}: datapackage.json gives {one_line(path, 80)} a hash that is not sha256"
        )
    return path, hexdigest.lower(), size if isinstance(size, int) else None


def _sha256(zf: zipfile.ZipFile, info: zipfile.ZipInfo, spend: Callable[[int], None]) -> str:
    h = hashlib.sha256()
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            spend(len(chunk))
            h.update(chunk)
    return h.hexdigest()

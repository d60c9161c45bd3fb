"""schema.org ClaimReview JSON-LD: written for every decided claim, and read back on import."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from verify.errors import VerifyError
from verify.models import Claim, Document, Settings

CONTEXT = "https://schema.org"

Warn = Callable[[str], None]

# Publishers paste the JSON-LD into <script type="application/ld+json">: with these escaped
# no string in it can close the element or open a comment, and JSON readers see the same text.
_SCRIPT_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def web_url(value: object) -> bool:
    """An absolute http(s) URL: the only kind published or accepted (no javascript:, data:)."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlparse(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def dumps(objs: list[dict[str, Any]]) -> str:
    """JSON-LD text safe to embed in an HTML script element."""
    text = json.dumps(objs, ensure_ascii=False, indent=2)
    return "".join(_SCRIPT_SAFE.get(ch, ch) for ch in text) + "\n"


def export_text(
    claims: list[Claim],
    settings: Settings,
    documents: dict[str, Document],
    warn: Warn | None = None,
) -> str:
    """The ClaimReview export of these claims, as CLI and TUI write it."""
    return dumps(reviews(claims, settings, documents, warn))


def review(
    claim: Claim,
    settings: Settings,
    documents: dict[str, Document],
    warn: Warn | None = None,
) -> dict[str, Any]:
    """One ClaimReview object; the claim must have a verdict. URLs that are not http(s)
    are left out, and `warn` is told which record lost one."""
    assert claim.verdict is not None

    def dropped(field: str, value: object) -> None:
        if warn is not None:
            shown = str(value)[:80]
            warn(f"claim {claim.id}: {field} {shown!r} is not an http(s) URL; left out")

    label = settings.label(claim.verdict.label)
    rating: dict[str, Any] = {"@type": "Rating"}
    if label is not None and label.rating_value is not None:
        rating["ratingValue"] = label.rating_value
    # Labels off the truth scale (unproven, disputed) carry no number; alternateName says it.
    rating["bestRating"] = 5
    rating["worstRating"] = 1
    rating["alternateName"] = label.alternate_name if label else claim.verdict.label
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {
            "@type": "Organization" if _looks_like_org(claim.claimant) else "Person",
            "name": claim.claimant,
        }
    if claim.date:
        item["datePublished"] = claim.date
    appearances = _appearances(claim, documents, dropped)
    if appearances:
        item["appearance"] = appearances
    base = settings.publisher_url.rstrip("/") if web_url(settings.publisher_url) else ""
    if settings.publisher_url and not base:
        dropped("publisher.url", settings.publisher_url)
    url = claim.extra.get("url")
    if url is not None and not web_url(url):
        dropped("url", url)
        url = None
    url = url or (f"{base}/claims/{claim.id}" if base else None)
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": claim.ref or claim.id,
        **({"url": url} if url else {}),
        "datePublished": claim.verdict.at.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.publisher_name or settings.name,
            **({"url": base} if base else {}),
        },
        "claimReviewed": claim.text,
        "reviewRating": rating,
        "itemReviewed": item,
        **({"reviewBody": claim.verdict.rationale} if claim.verdict.rationale else {}),
    }


def _looks_like_org(name: str) -> bool:
    words = (
        "ministry",
        "officials",
        "authorities",
        "government",
        "office",
        "agency",
        "council",
        "army",
        "police",
        "union",
        "committee",
        "department",
        "service",
    )
    low = name.lower()
    return any(w in low for w in words)


def _appearances(
    claim: Claim, documents: dict[str, Document], dropped: Callable[[str, object], None]
) -> list[dict[str, Any]]:
    """Where the claim was seen: the archived documents it was quoted from."""
    kept = claim.extra.get("appearance")
    if isinstance(kept, list):
        # Imported from a ClaimReview: give back what came in, with web addresses only.
        return _web_appearances(kept, dropped)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for sel in [claim.origin] + [a.origin for a in claim.accounts]:
        if sel is None or sel.document_id in seen or sel.document_id not in documents:
            continue
        seen.add(sel.document_id)
        doc = documents[sel.document_id]
        work: dict[str, Any] = {"@type": "CreativeWork"}
        if doc.address.startswith(("http://", "https://")):
            work["url"] = doc.address
        if doc.title:
            work["headline"] = doc.title
        if doc.publisher:
            work["publisher"] = {"@type": "Organization", "name": doc.publisher}
        if doc.published:
            work["datePublished"] = doc.published.date().isoformat()
        out.append(work)
    return out


def _web_appearances(
    items: list[Any], dropped: Callable[[str, object], None]
) -> list[dict[str, Any]]:
    """Appearances as CreativeWork objects whose url and @id, when present, are http(s)."""
    out: list[dict[str, Any]] = []
    for a in items:
        work = {"@type": "CreativeWork", "url": a} if isinstance(a, str) else a
        if not isinstance(work, dict):
            continue
        bad = [k for k in ("url", "@id") if k in work and not web_url(work[k])]
        for key in bad:
            dropped(f"appearance {key}", work[key])
        work = {k: v for k, v in work.items() if k not in bad}
        if set(work) - {"@type"}:
            out.append(work)
    return out


def reviews(
    claims: list[Claim],
    settings: Settings,
    documents: dict[str, Document],
    warn: Warn | None = None,
) -> list[dict[str, Any]]:
    return [review(c, settings, documents, warn) for c in claims if c.verdict is not None]


def parse(text: str, warn: Warn | None = None) -> list[Any]:
    """Records from ClaimReview JSON-LD: one object, a list, a DataFeed, or JSON lines of them.

    Addresses that are not http(s) (javascript:, data:, file:) are dropped; `warn` names
    the record each came from."""
    from verify.importers import Record

    try:
        data = json.loads(text)
        items = _flatten(data)
    except json.JSONDecodeError:
        items = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.extend(_flatten(json.loads(line), f"line {lineno}"))
            except json.JSONDecodeError as exc:
                raise VerifyError(f"line {lineno}: not valid JSON ({exc.msg})") from None
            except RecursionError:
                raise VerifyError(f"line {lineno}: JSON nested too deeply") from None
    except RecursionError:
        raise VerifyError("JSON nested too deeply") from None
    records = []
    for where, obj in items:
        if not isinstance(obj, dict) or obj.get("@type") != "ClaimReview":
            raise VerifyError(f"{where}: not a ClaimReview object")
        text_ = obj.get("claimReviewed")
        if not isinstance(text_, str) or not text_.strip():
            raise VerifyError(f"{where}: ClaimReview without claimReviewed")
        rating = _obj(obj.get("reviewRating"))
        item = _obj(obj.get("itemReviewed"))
        author = _obj(item.get("author"))
        fields: dict[str, Any] = {}

        def dropped(field: str, value: object, where: str = where) -> None:
            if warn is not None:
                warn(f"{where}: {field} {str(value)[:80]!r} is not an http(s) URL; left out")

        for key in ("url", "@id"):
            if key in obj and not web_url(obj[key]):
                dropped(key, obj[key])
        if web_url(obj.get("url")):
            fields["url"] = obj["url"]
        if isinstance(rating.get("alternateName"), str):
            fields["verdict"] = rating["alternateName"]
        if (value := _rating_value(rating)) is not None:
            fields["rating_value"] = value
        if isinstance(author.get("name"), str):
            fields["claimant"] = author["name"]
        if isinstance(item.get("datePublished"), str):
            fields["date"] = item["datePublished"]
        if isinstance(obj.get("headline"), str):
            fields["title"] = obj["headline"]
        if isinstance(obj.get("datePublished"), str):
            fields["reviewed"] = obj["datePublished"]
        if isinstance(obj.get("reviewBody"), str):
            fields["rationale"] = obj["reviewBody"]
        review_author = _obj(obj.get("author"))
        if isinstance(review_author.get("name"), str):
            fields["reviewer"] = review_author["name"]
        appearance = item.get("appearance")
        if isinstance(appearance, list) and appearance:
            kept = _web_appearances(appearance, dropped)
            if kept:
                fields["appearance"] = kept
        ref = obj.get("identifier") or fields.get("url") or f"claimreview:{text_.strip()[:200]}"
        # Names and labels arrive from a stranger's feed: the claim's field types clean them
        # as the record becomes a claim, as for every other import.
        records.append(Record(ref=str(ref), text=text_.strip(), fields=fields, where=where))
    return records


def _rating_value(rating: dict[str, Any]) -> float | None:
    """A rating on the feed's own scale (worstRating..bestRating, 1..5 when not given) moved
    onto ClaimReview's 1..5, so a label the casebook does not name can still be mapped."""
    numbers = [
        rating.get(k, d) for k, d in (("ratingValue", None), ("worstRating", 1), ("bestRating", 5))
    ]
    value, worst, best = (
        float(n) if isinstance(n, (int, float)) and not isinstance(n, bool) else None
        for n in numbers
    )
    if value is None or worst is None or best is None or best == worst:
        return None
    share = (value - worst) / (best - worst)
    return 1 + 4 * share if 0 <= share <= 1 else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _flatten(data: Any, where: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, list):
        return [(f"{where + ' ' if where else ''}item {i + 1}", d) for i, d in enumerate(data)]
    if isinstance(data, dict) and data.get("@type") == "DataFeed":
        elements = data.get("dataFeedElement", [])
        out: list[tuple[str, Any]] = []
        for i, el in enumerate(elements if isinstance(elements, list) else []):
            if isinstance(el, dict) and isinstance(el.get("item"), list):
                out.extend((f"dataFeedElement {i + 1}", x) for x in el["item"])
            elif isinstance(el, dict) and isinstance(el.get("item"), dict):
                out.append((f"dataFeedElement {i + 1}", el["item"]))
            else:
                out.append((f"dataFeedElement {i + 1}", el))
        return out
    return [(where or "item 1", data)]

"""schema.org ClaimReview JSON-LD: written for every decided claim, and read back on import."""

from __future__ import annotations

import json
from typing import Any

from verify.errors import VerifyError
from verify.models import Claim, Document, Settings

CONTEXT = "https://schema.org"


def review(claim: Claim, settings: Settings, documents: dict[str, Document]) -> dict[str, Any]:
    """One ClaimReview object; the claim must have a verdict."""
    assert claim.verdict is not None
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
    appearances = _appearances(claim, documents)
    if appearances:
        item["appearance"] = appearances
    base = settings.publisher_url.rstrip("/")
    url = claim.extra.get("url") if isinstance(claim.extra.get("url"), str) else ""
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": claim.ref or claim.id,
        "url": url or (f"{base}/claims/{claim.id}" if base else f"urn:verify:claim:{claim.id}"),
        "datePublished": claim.verdict.at.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.publisher_name or settings.name,
            **({"url": settings.publisher_url} if settings.publisher_url else {}),
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


def _appearances(claim: Claim, documents: dict[str, Document]) -> list[dict[str, Any]]:
    """Where the claim was seen: the archived documents it was quoted from."""
    kept = claim.extra.get("appearance")
    if isinstance(kept, list):
        # Imported from a ClaimReview: give back what came in.
        return [
            a if isinstance(a, dict) else {"@type": "CreativeWork", "url": a}
            for a in kept
            if isinstance(a, (dict, str))
        ]
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


def reviews(
    claims: list[Claim], settings: Settings, documents: dict[str, Document]
) -> list[dict[str, Any]]:
    return [review(c, settings, documents) for c in claims if c.verdict is not None]


def parse(text: str) -> list[Any]:
    """Records from ClaimReview JSON-LD: one object, a list, a DataFeed, or JSON lines of them."""
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
        if isinstance(obj.get("url"), str):
            fields["url"] = obj["url"]
        if isinstance(rating.get("alternateName"), str):
            fields["verdict"] = rating["alternateName"]
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
            fields["appearance"] = [a for a in appearance if isinstance(a, (dict, str))]
        ref = obj.get("identifier") or obj.get("url") or f"claimreview:{text_.strip()[:200]}"
        records.append(Record(ref=str(ref), text=text_.strip(), fields=fields, where=where))
    return records


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

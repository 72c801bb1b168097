"""The audit bundle: an article's chain, its published texts, its Sources.

`build_bundle(page)` is what `manage.py export_audit` writes and the
admin's "Export audit trail" downloads; `verify_bundle(data)` is what
`manage.py verify_audit` runs. The bundle is one JSON object:

- `events`: the chain, oldest first (`evidence.audit.chain`);
- `head`: the last event's hash (compare it with one noted earlier);
- `versions`: the text of every version that went live, each naming its
  publish event, whose `text_hash` is the hash of that text;
- `sources`: every Source the published versions cite, as the chain last
  recorded it (in a publish or a Source-change event);
- `fhir`: the same Sources as FHIR R5 Citations and each approved claim's
  certainty as an ArtifactAssessment, in a FHIR Bundle.

Everything but `exported_at` and `article` (a label) is checked against the
chain, so changing any byte of an event, a decision, a text, a Source or a
FHIR resource makes verification fail and name the event it contradicts.
"""

from __future__ import annotations

from django.utils import timezone

from evidence.audit.chain import Mismatch, digest, stored_chain, verify_events
from evidence.audit.fhir import fhir_bundle
from evidence.models import PublishedVersion
from evidence.vocab import AuditKind

FORMAT = "nadsite-audit-bundle/1"


def _recorded_sources(events: list[dict]) -> dict[int, tuple[int, dict]]:
    """Source id -> (seq, record) as last recorded by the chain."""
    found: dict[int, tuple[int, dict]] = {}
    for event in events:
        data = event.get("data") or {}
        if event.get("kind") == AuditKind.PUBLISH:
            for record in data.get("sources") or ():
                found[record["id"]] = (event["seq"], record)
        elif event.get("kind") == AuditKind.SOURCE_CHANGE and data.get("source"):
            found[data["source"]["id"]] = (event["seq"], data["source"])
    return found


def _fhir_versions(events: list[dict], versions: list[dict]) -> list[dict]:
    by_seq = {e["seq"]: e for e in events}
    listed = []
    for version in versions:
        data = by_seq[version["event"]]["data"]
        listed.append(
            {
                "event": version["event"],
                "text": version["text"],
                "reviewed_by": [
                    f"{p['name']}, {p['credentials']}"
                    if p.get("credentials")
                    else p["name"]
                    for p in data.get("reviewed_by") or ()
                ],
                "last_reviewed_at": data.get("last_reviewed_at"),
            }
        )
    return listed


def build_bundle(page, request=None) -> dict:
    """The audit bundle of `page` (a page or page id)."""
    page_id = getattr(page, "pk", page)
    events = stored_chain(page_id)
    versions = [
        {
            "event": v.event_seq,
            "revision": v.revision_id,
            "kind": v.kind,
            "note": v.note,
            "text": v.text,
            "text_hash": v.text_hash,
        }
        for v in PublishedVersion.objects.of_page(page_id)
    ]
    sources = [record for _seq, record in _recorded_sources(events).values()]
    url = ""
    title = ""
    if hasattr(page, "get_full_url"):
        url = page.get_full_url(request) or ""
        title = page.title
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "article": {"id": page_id, "title": title, "url": url},
        "head": events[-1]["hash"] if events else None,
        "events": events,
        "versions": versions,
        "sources": sources,
        "fhir": fhir_bundle(sources, _fhir_versions(events, versions), url),
    }


def verify_bundle(bundle) -> Mismatch | None:
    """The first thing in the bundle that does not match its chain, or None."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        return Mismatch("-", "", f"this is not an audit bundle ({FORMAT})")
    events = bundle.get("events")
    if not isinstance(events, list):
        return Mismatch("-", "", "the bundle has no list of events")
    article = (bundle.get("article") or {}).get("id")
    if mismatch := verify_events(events, article=article):
        return mismatch
    head = events[-1]["hash"] if events else None
    if bundle.get("head") != head:
        return Mismatch(
            len(events),
            events[-1]["kind"] if events else "",
            "is not the bundle's head",
        )
    publishes = {e["seq"]: e for e in events if e["kind"] == AuditKind.PUBLISH}
    versions = bundle.get("versions")
    if not isinstance(versions, list):
        return Mismatch("-", "", "the bundle has no list of versions")
    seen = set()
    for version in versions:
        seq = version.get("event") if isinstance(version, dict) else None
        event = publishes.get(seq)
        if event is None:
            return Mismatch(seq, "publish", "a version names no publish event")
        data = event["data"]
        if digest(version.get("text")) != data.get("text_hash") or version.get(
            "text_hash"
        ) != data.get("text_hash"):
            return Mismatch(
                seq, "publish", "the version's text does not match the hash it recorded"
            )
        if version.get("kind") != data.get("kind") or version.get("note") != data.get(
            "note"
        ):
            return Mismatch(
                seq,
                "publish",
                "the version's kind or note differs from what it recorded",
            )
        if version.get("revision") != data.get("revision"):
            return Mismatch(seq, "publish", "the version names another revision")
        seen.add(seq)
    for seq in sorted(set(publishes) - seen):
        return Mismatch(seq, "publish", "its published text is missing from the bundle")
    recorded = _recorded_sources(events)
    sources = bundle.get("sources")
    if not isinstance(sources, list):
        return Mismatch("-", "", "the bundle has no list of Sources")
    listed = {s.get("id"): s for s in sources if isinstance(s, dict)}
    for source_id, (seq, record) in recorded.items():
        kind = next(e["kind"] for e in events if e["seq"] == seq)
        if listed.get(source_id) != record:
            return Mismatch(
                seq, kind, f"Source {source_id} in the bundle differs from its record"
            )
    if len(listed) != len(sources) or set(listed) != set(recorded):
        return Mismatch("-", "", "the bundle lists Sources the chain never recorded")
    expected = fhir_bundle(
        [record for _seq, record in recorded.values()],
        _fhir_versions(events, versions),
        (bundle.get("article") or {}).get("url") or "",
    )
    if bundle.get("fhir") != expected:
        kinds = {e["seq"]: e["kind"] for e in events}
        return _fhir_mismatch(bundle.get("fhir"), expected, recorded, kinds)
    return None


def _fhir_mismatch(found, expected, recorded, kinds) -> Mismatch:
    """Name the event behind the first FHIR resource that differs."""
    found_entries = (found or {}).get("entry") if isinstance(found, dict) else None
    found_entries = found_entries if isinstance(found_entries, list) else []
    for position, entry in enumerate(expected["entry"]):
        other = found_entries[position] if position < len(found_entries) else None
        if other == entry:
            continue
        resource = entry["resource"]
        if resource["resourceType"] == "Citation":
            source_id = int(resource["id"].removeprefix("source-"))
            seq = recorded[source_id][0]
            return Mismatch(
                seq,
                kinds.get(seq, ""),
                f"the FHIR Citation of Source {source_id} differs from it",
            )
        seq = int(resource["id"][1:].split("-", 1)[0])
        return Mismatch(
            seq, "publish", f"the FHIR ArtifactAssessment {resource['id']} differs"
        )
    return Mismatch("-", "", "the FHIR Bundle lists resources the chain never recorded")

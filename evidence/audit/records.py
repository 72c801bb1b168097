"""How the audit trail writes down a version's text, a Source and a person.

These records are what the chain's events carry and what the bundle holds,
so they are plain JSON: ids, strings, integers, ISO dates, never floats.
"""

from __future__ import annotations

from evidence.models import Source
from evidence.passages import reviewable_units, reviewed_field_names
from evidence.roles import reviewer_credentials, reviewer_name
from evidence.vocab import Decision

# What a decision means, in the words of 21 CFR 11.50(b): the meaning of
# the signature.
DECISION_MEANINGS = {
    Decision.APPROVE: "approved as a claim",
    Decision.NOT_A_CLAIM: "confirmed not a claim",
    Decision.REQUEST_CHANGES: "requested changes",
}

SOURCE_FIELDS = (
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "publication_type",
    "study_design",
    "population",
    "sample_size",
    "intervention",
    "route",
    "grade",
    "grade_rationale",
    "retraction_status",
    "retraction_notice_url",
    "retraction_date",
    "evidence_version",
)


def person(user) -> dict | None:
    """A user as the trail names them: id, name and credentials then."""
    if user is None or not getattr(user, "pk", None):
        return None
    return {
        "id": user.pk,
        "name": reviewer_name(user),
        "credentials": reviewer_credentials(user),
    }


def source_record(source: Source) -> dict:
    """A Source as the trail records it (its evidence fields included)."""
    record = {"id": source.pk}
    for name in SOURCE_FIELDS:
        value = getattr(source, name)
        record[name] = value.isoformat() if hasattr(value, "isoformat") else value
    record["grade_confirmed"] = source.grade_confirmed_by_id is not None
    return record


def version_text(page, units: dict | None = None) -> dict:
    """The text of a version of `page`: every reviewable unit of it
    (`reviewable_units`), in page order, by unit id with its kind and role.

    The page's reviewed fields come first (the title, the standfirst or
    introduction, the SEO title, the search description, the subject: each
    with the field's name as its id and kind, and position 0), then every
    passage of its body. `reviewed_fields` names the fields the page type
    reviews, so a field missing from `units` was empty in this version (an
    empty field shows nothing and is no unit); `title` and `standfirst`
    repeat those fields' text, as versions recorded before the fields were
    units had them.

    `units` is the publish snapshot's outcome per unit id (status and
    certainty), when the version went live.
    """
    units = units or {}
    listed = []
    for unit in reviewable_units(page):
        outcome = units.get(unit.block_id) or {}
        listed.append(
            {
                "id": unit.block_id,
                "position": unit.position,
                "kind": unit.kind,
                "role": unit.role,
                "text": unit.text,
                "fingerprint": unit.fingerprint,
                "citations": [
                    [c.source_id, c.stance, c.locator] for c in unit.citations
                ],
                "status": outcome.get("status", ""),
                "certainty": outcome.get("certainty", ""),
            }
        )
    return {
        "title": page.title,
        "standfirst": getattr(page, "standfirst", "") or "",
        "reviewed_fields": list(reviewed_field_names(page)),
        "units": listed,
    }


def cited_sources(text: dict) -> list[Source]:
    """The Sources a version's text cites, in the order first cited."""
    ids = []
    for unit in text.get("units", ()):
        for source_id, *_rest in unit.get("citations", ()):
            if source_id and source_id not in ids:
                ids.append(source_id)
    found = Source.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]

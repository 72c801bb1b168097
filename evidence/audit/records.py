"""How the audit trail writes down a version's text, a Source and a person.

These records are what the chain's events carry and what the bundle holds,
so they are plain JSON: ids, strings, integers, ISO dates, never floats.
"""

from __future__ import annotations

from evidence.models import Source
from evidence.passages import read_passages
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
    """The text of a version of `page`: its title and every reviewable unit.

    `units` is the publish snapshot's outcome per unit id (status and
    certainty), when the version went live. Returns the text and the
    Sources its units cite (id -> Source).
    """
    units = units or {}
    passages = read_passages(page)
    listed = []
    for passage in passages:
        outcome = units.get(passage.block_id) or {}
        listed.append(
            {
                "id": passage.block_id,
                "position": passage.position,
                "kind": passage.kind,
                "role": passage.role,
                "text": passage.text,
                "fingerprint": passage.fingerprint,
                "citations": [
                    [c.source_id, c.stance, c.locator] for c in passage.citations
                ],
                "status": outcome.get("status", ""),
                "certainty": outcome.get("certainty", ""),
            }
        )
    return {
        "title": page.title,
        "standfirst": getattr(page, "standfirst", "") or "",
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

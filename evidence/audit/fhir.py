"""Sources and claims' certainty in FHIR R5, the form evidence tools read.

A Source becomes a `Citation` (the study as a cited artifact: identifiers,
title, journal, date, authors, links, its design and population, its grade
once a medical reviewer confirmed it, and its retraction state); each
approved claim's certainty becomes an `ArtifactAssessment` (a GRADE
certainty rating of the claim, by its reviewers, citing the claim's
Sources). Both are built from the audit trail's plain records
(`evidence.audit.records`), so the audit bundle and the API say the same.
The tests validate them with the `fhir.resources` package.
"""

from __future__ import annotations

from evidence.vocab import (
    GRADE_WORDS,
    Population,
    RetractionStatus,
    StudyDesign,
)

CERTAINTY_RATING = "http://terminology.hl7.org/CodeSystem/certainty-rating"
CERTAINTY_TYPE = "http://terminology.hl7.org/CodeSystem/certainty-type"
URL_CLASSIFIER = "http://hl7.org/fhir/artifact-url-classifier"
DOI_SYSTEM = "https://doi.org"
PMID_SYSTEM = "https://pubmed.ncbi.nlm.nih.gov"
# Our certainty values -> the certainty-rating codes.
RATING_CODES = {
    "high": ("high", "High quality"),
    "moderate": ("moderate", "Moderate quality"),
    "low": ("low", "Low quality"),
    "very_low": ("very-low", "Very low quality"),
}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def citation_id(source_id) -> str:
    return f"source-{source_id}"


def citation(record: dict) -> dict:
    """A FHIR R5 Citation resource for a Source record."""
    artifact: dict = {"title": [{"text": record["title"]}]}
    identifiers = []
    if record.get("doi"):
        identifiers.append({"system": DOI_SYSTEM, "value": record["doi"]})
    if record.get("pmid"):
        identifiers.append({"system": PMID_SYSTEM, "value": record["pmid"]})
    if identifiers:
        artifact["identifier"] = identifiers
    form: dict = {}
    if record.get("journal"):
        form["publishedIn"] = {"title": record["journal"]}
    if record.get("year"):
        form["articleDate"] = str(record["year"])
    for name, key in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "pageString"),
    ):
        if record.get(name):
            form[key] = str(record[name])
    if form:
        artifact["publicationForm"] = [form]
    if record.get("authors"):
        artifact["contributorship"] = {"summary": [{"value": record["authors"]}]}
    links = []
    if record.get("doi"):
        links.append(
            {
                "classifier": [
                    {"coding": [{"system": URL_CLASSIFIER, "code": "doi-based"}]}
                ],
                "url": f"https://doi.org/{record['doi']}",
            }
        )
    if record.get("pmid"):
        links.append(
            {
                "classifier": [
                    {"coding": [{"system": URL_CLASSIFIER, "code": "abstract"}]}
                ],
                "url": f"https://pubmed.ncbi.nlm.nih.gov/{record['pmid']}/",
            }
        )
    if record.get("url"):
        links.append({"url": record["url"]})
    if links:
        artifact["webLocation"] = links
    classification = [
        {
            "type": {"text": "study design"},
            "classifier": [{"text": _label(StudyDesign, record["study_design"])}],
        },
        {
            "type": {"text": "population"},
            "classifier": [{"text": _label(Population, record["population"])}],
        },
    ]
    if record.get("sample_size") is not None:
        classification.append(
            {
                "type": {"text": "participants analysed"},
                "classifier": [{"text": str(record["sample_size"])}],
            }
        )
    if record.get("grade") and record.get("grade_confirmed"):
        classification.append(
            {
                "type": {"text": "certainty of evidence (GRADE)"},
                "classifier": [
                    {"text": f"{GRADE_WORDS.get(record['grade'], record['grade'])}"}
                ],
            }
        )
    artifact["classification"] = classification
    status = record.get("retraction_status") or RetractionStatus.NONE
    if status != RetractionStatus.NONE:
        artifact["currentState"] = [{"text": _label(RetractionStatus, status)}]
        if record.get("retraction_notice_url"):
            relation = (
                "retracted-by"
                if status == RetractionStatus.RETRACTED
                else (
                    "correction-in"
                    if status == RetractionStatus.CORRECTION
                    else "comment-in"
                )
            )
            artifact["relatesTo"] = [
                {
                    "type": relation,
                    "document": {"url": record["retraction_notice_url"]},
                }
            ]
    resource = {
        "resourceType": "Citation",
        "id": citation_id(record["id"]),
        "status": "active",
        "title": record["title"],
        "citedArtifact": artifact,
    }
    if record.get("grade_rationale"):
        resource["summary"] = [{"text": record["grade_rationale"]}]
    return resource


def certainty_assessment(
    unit: dict, *, article_url: str, version: int, reviewers: list, reviewed_at
) -> dict | None:
    """An ArtifactAssessment rating an approved claim's certainty, or None
    for a unit that is not an approved claim with a certainty."""
    rating = RATING_CODES.get(unit.get("certainty") or "")
    if unit.get("status") != "approved" or rating is None:
        return None
    code, display = rating
    content = {
        "informationType": "rating",
        "summary": unit.get("text", ""),
        "type": {
            "coding": [{"system": CERTAINTY_TYPE, "code": "Overall"}],
            "text": "Overall certainty",
        },
        "classifier": [
            {"coding": [{"system": CERTAINTY_RATING, "code": code, "display": display}]}
        ],
        "relatedArtifact": [
            {
                "type": "cites",
                "resourceReference": {"reference": f"Citation/{citation_id(sid)}"},
            }
            for sid in dict.fromkeys(c[0] for c in unit.get("citations", ()) if c[0])
        ],
    }
    if reviewers:
        content["author"] = {"display": "; ".join(reviewers)}
    resource = {
        "resourceType": "ArtifactAssessment",
        "id": f"v{version}-{unit['id']}"[:64],
        "title": f"Certainty of the claim: {unit.get('text', '')}"[:500],
        "artifactUri": f"{article_url}#{unit['id']}"
        if article_url
        else f"urn:unit:{unit['id']}",
        "content": [content],
    }
    if reviewed_at:
        resource["date"] = reviewed_at
    if not content["relatedArtifact"]:
        del content["relatedArtifact"]
    return resource


def fhir_bundle(sources: list[dict], versions: list[dict], article_url: str) -> dict:
    """A FHIR `collection` Bundle: a Citation per Source, an
    ArtifactAssessment per approved claim of each published version."""
    entries = [
        {"fullUrl": f"urn:nadsite:{citation_id(s['id'])}", "resource": citation(s)}
        for s in sources
    ]
    for version in versions:
        for unit in version["text"].get("units", ()):
            assessment = certainty_assessment(
                unit,
                article_url=article_url,
                version=version["event"],
                reviewers=version.get("reviewed_by", []),
                reviewed_at=version.get("last_reviewed_at"),
            )
            if assessment is not None:
                entries.append(
                    {
                        "fullUrl": f"urn:nadsite:{assessment['id']}",
                        "resource": assessment,
                    }
                )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}

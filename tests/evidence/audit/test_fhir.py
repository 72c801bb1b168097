"""Sources as FHIR R5 Citations and approved claims' certainty as
ArtifactAssessments, validated with fhir.resources (issue 17, item 3)."""

import json

import pytest
from fhir.resources.artifactassessment import ArtifactAssessment
from fhir.resources.bundle import Bundle
from fhir.resources.citation import Citation

from evidence.audit.bundle import build_bundle
from evidence.audit.fhir import citation
from evidence.audit.records import source_record
from evidence.library.safeguards import apply_evidence_change
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_the_bundle_carries_valid_citations_and_assessments(live_article, source):
    fhir = build_bundle(live_article)["fhir"]
    Bundle.model_validate(fhir)
    resources = [entry["resource"] for entry in fhir["entry"]]
    citations = [r for r in resources if r["resourceType"] == "Citation"]
    assessments = [r for r in resources if r["resourceType"] == "ArtifactAssessment"]
    assert len(citations) == 1 and len(assessments) == 1
    cited = Citation.model_validate(citations[0]).citedArtifact
    assert {(i.system, i.value) for i in cited.identifier} == {
        ("https://doi.org", source.doi),
        ("https://pubmed.ncbi.nlm.nih.gov", source.pmid),
    }
    assert cited.publicationForm[0].publishedIn.title == "Nature Communications"
    assessment = ArtifactAssessment.model_validate(assessments[0])
    rating = assessment.content[0]
    assert rating.informationType == "rating"
    assert rating.classifier[0].coding[0].code == "low"
    assert rating.summary == "NR raised blood NAD+ by 60%."
    assert rating.author.display == "Dr Ada Lovelace, MD, PhD"
    assert rating.relatedArtifact[0].resourceReference.reference == (
        f"Citation/source-{source.pk}"
    )
    assert assessment.artifactUri.endswith("#" + assessment.id.split("-", 1)[1])


def test_context_passages_and_unrated_claims_get_no_assessment(live_article):
    resources = [e["resource"] for e in build_bundle(live_article)["fhir"]["entry"]]
    summaries = [
        r["content"][0]["summary"]
        for r in resources
        if r["resourceType"] == "ArtifactAssessment"
    ]
    assert "Ageing is complex." not in summaries


def test_a_retracted_source_with_a_confirmed_grade(reviewer):
    source = SourceFactory(
        title="A retracted trial",
        authors="",
        journal="",
        year=None,
        doi="",
        pmid="",
        url="https://example.org/trial",
        sample_size=None,
    )
    apply_evidence_change(source, reviewer)
    source.retraction_status = "retracted"
    source.retraction_notice_url = "https://example.org/retraction"
    source.save()
    resource = citation(source_record(source))
    parsed = Citation.model_validate(resource)
    assert parsed.citedArtifact.currentState[0].text == "Retracted"
    assert parsed.citedArtifact.relatesTo[0].type == "retracted-by"
    assert parsed.citedArtifact.webLocation[0].url == "https://example.org/trial"


def test_the_api_serves_a_source_as_fhir(client, source):
    response = client.get(f"/api/v1/sources/{source.pk}/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    parsed = Citation.model_validate(json.loads(response.content))
    assert parsed.id == f"source-{source.pk}"
    assert parsed.title == source.title
    as_json = client.get(
        f"/api/v1/sources/{source.pk}/fhir/", HTTP_ACCEPT="application/json"
    )
    assert as_json["Content-Type"].startswith("application/json")


def test_the_api_answers_404_for_an_unknown_source(client, db):
    response = client.get("/api/v1/sources/999999/fhir/")
    assert response.status_code == 404

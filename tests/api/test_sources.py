"""Sources, claim detection, tokens, throttling and the schema over the API."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from evidence.models import Source
from tests.api.conftest import client_for
from tests.factories import SourceFactory, make_article, paragraph

pytestmark = pytest.mark.django_db

NEW_SOURCE = {
    "title": "A trial",
    "study_design": "rct",
    "population": "human",
    "grade": "B",
}


@pytest.mark.parametrize(
    ("role", "create", "edit"),
    [
        ("anonymous", 401, 401),
        ("writer", 201, 403),
        ("reviewer", 201, 200),
        ("editor", 201, 200),
        ("superuser", 201, 200),
    ],
)
def test_source_permissions(role_clients, role, create, edit):
    client = role_clients[role]
    source = SourceFactory()
    assert client.get("/api/v1/sources/").status_code == 200
    assert client.get(f"/api/v1/sources/{source.pk}/").status_code == 200
    response = client.post(
        "/api/v1/sources/", {**NEW_SOURCE, "doi": f"10.1000/{role}"}, format="json"
    )
    assert response.status_code == create
    response = client.patch(
        f"/api/v1/sources/{source.pk}/", {"grade": "A"}, format="json"
    )
    assert response.status_code == edit
    source.refresh_from_db()
    assert source.grade == ("A" if edit == 200 else "B")
    deleted = client.delete(f"/api/v1/sources/{source.pk}/")
    assert deleted.status_code in {401, 403, 405}
    assert Source.objects.filter(pk=source.pk).exists()


def test_bad_and_duplicate_dois_are_400_with_reasons(editor):
    client = client_for(editor)
    existing = SourceFactory(doi="10.1038/s41467-018-03421-7", title="Martens")
    bad = client.post("/api/v1/sources/", {**NEW_SOURCE, "doi": "nope"}, format="json")
    assert bad.status_code == 400
    assert "not a DOI" in bad.json()["doi"][0]
    twin = client.post(
        "/api/v1/sources/",
        {**NEW_SOURCE, "doi": "https://doi.org/10.1038/S41467-018-03421-7"},
        format="json",
    )
    assert twin.status_code == 400
    assert "already has this DOI" in twin.json()["doi"][0]
    assert "Martens" in twin.json()["doi"][0]
    same = client.patch(
        f"/api/v1/sources/{existing.pk}/", {"doi": existing.doi}, format="json"
    )
    assert same.status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {**NEW_SOURCE, "study_design": "anecdote"},
        {**NEW_SOURCE, "year": 10**20},
        {**NEW_SOURCE, "sample_size": -1},
        {**NEW_SOURCE, "pmid": "abc"},
        {**NEW_SOURCE, "colour": "red"},
        {**NEW_SOURCE, "retraction_date": "2020-01-01"},
        ["not", "an", "object"],
    ],
)
def test_malformed_sources_are_400(editor, payload):
    response = client_for(editor).post("/api/v1/sources/", payload, format="json")
    assert response.status_code == 400
    assert response.json()
    assert not Source.objects.exists()


def test_source_filters_and_ordering(anon_client):
    rct = SourceFactory(
        title="Nicotinamide riboside in older adults", grade="A", year=2020
    )
    mice = SourceFactory(
        title="NMN in mice",
        study_design="animal",
        population="animal",
        grade="D",
        authors="Mills KF",
        year=2016,
        pmid="28068222",
    )
    gone = SourceFactory(title="Withdrawn", retraction_status="retracted", year=2019)

    def ids(query):
        response = anon_client.get(f"/api/v1/sources/?{query}")
        assert response.status_code == 200, response.json()
        return [s["id"] for s in response.json()["results"]]

    assert ids("") == [rct.pk, gone.pk, mice.pk]
    assert ids("ordering=year") == [mice.pk, gone.pk, rct.pk]
    assert ids("grade=A") == [rct.pk]
    assert ids("study_design=animal&population=animal") == [mice.pk]
    assert ids("retracted=true") == [gone.pk]
    assert ids("retracted=false") == [rct.pk, mice.pk]
    assert ids("q=mills") == [mice.pk]
    assert ids("q=riboside older") == [rct.pk]
    assert ids(f"doi=https://doi.org/{rct.doi.upper()}") == [rct.pk]
    assert ids("pmid=PMID: 28068222") == [mice.pk]
    assert anon_client.get("/api/v1/sources/?grade=Z").status_code == 400
    assert anon_client.get("/api/v1/sources/?ordering=secret").status_code == 200


def test_where_a_source_is_cited(article_index, staff_writer, anon_client):
    source = SourceFactory()
    page = make_article(
        article_index,
        owner=staff_writer,
        body=[paragraph("NAD+ falls.", sources=[source], block_id="p-9")],
    )
    response = client_for(staff_writer).get(f"/api/v1/sources/{source.pk}/citations/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["page"] == page.pk
    assert row["block_id"] == "p-9"
    assert row["live"] is False
    assert row["field"].startswith("body.p-9.citations.")
    drafts_hidden = anon_client.get(f"/api/v1/sources/{source.pk}/citations/")
    assert drafts_hidden.json()["count"] == 0
    other = SourceFactory()
    assert (
        anon_client.get(f"/api/v1/sources/{other.pk}/citations/").json()["count"] == 0
    )
    assert anon_client.get("/api/v1/sources/999999999/citations/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 200),
        ("reviewer", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_claim_detection_permissions(role_clients, role, expected):
    response = role_clients[role].post(
        "/api/v1/claims/detect/",
        {"text": "NAD+ reverses ageing.\n\nWe talk about it below."},
        format="json",
    )
    assert response.status_code == expected
    if expected == 200:
        first, second = response.json()["paragraphs"]
        assert first["is_claim"] is True
        assert second["is_claim"] is False


def test_claim_detection_limits_its_input(staff_writer):
    client = client_for(staff_writer)
    too_long = client.post(
        "/api/v1/claims/detect/", {"text": "a" * 100_001}, format="json"
    )
    assert too_long.status_code == 400
    assert "100000" in too_long.json()["text"][0]
    assert (
        client.post("/api/v1/claims/detect/", {"text": 5}, format="json").status_code
        == 400
    )
    assert client.post("/api/v1/claims/detect/", {}, format="json").status_code == 400


def test_token_for_good_credentials_only(staff_writer, anon_client):
    good = anon_client.post(
        "/api/v1/auth/token/",
        {"username": "api-writer", "password": "pass-for-tests"},
        format="json",
    )
    assert good.status_code == 200
    assert len(good.json()["token"]) == 40
    bad = anon_client.post(
        "/api/v1/auth/token/",
        {"username": "api-writer", "password": "wrong"},
        format="json",
    )
    assert bad.status_code == 400
    assert "token" not in bad.json()


def test_session_writes_need_the_csrf_token(site_tree, staff_writer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_writer)
    assert client.get("/api/v1/sources/").status_code == 200
    response = client.post("/api/v1/sources/", NEW_SOURCE, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_anonymous_reads_are_throttled(anon_client):
    statuses = [anon_client.get("/api/v1/sources/").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


@override_settings(DEBUG=False)
def test_schema_and_docs_are_served(anon_client):
    schema = anon_client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/articles/{id}/publish/" in paths
    assert "/api/v1/auth/token/" in paths
    assert not [p for p in paths if not p.startswith("/api/v1/")]
    docs = anon_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/api/v1/articles/{id}/readiness/" in docs.content
    assert b'<html lang="en">' in docs.content


def test_a_grade_set_by_a_reviewer_is_confirmed_by_them(reviewer, editor):
    source = SourceFactory(grade="C")
    response = client_for(reviewer).patch(
        f"/api/v1/sources/{source.pk}/", {"grade": "B"}, format="json"
    )
    assert response.status_code == 200, response.json()
    source.refresh_from_db()
    assert (source.grade, source.grade_confirmed_by) == ("B", reviewer)
    assert source.grade_confirmed_at is not None

    # Changing a confirmed grade is a medical reviewer's decision (issue 12).
    response = client_for(editor).patch(
        f"/api/v1/sources/{source.pk}/", {"grade": "A"}, format="json"
    )
    assert response.status_code == 400
    assert "medical reviewer" in response.json()["evidence_change_note"][0]
    source.refresh_from_db()
    assert (source.grade, source.grade_confirmed_by) == ("B", reviewer)


def test_editing_other_fields_keeps_the_grade_confirmation(reviewer, editor):
    source = SourceFactory(grade="C")
    client_for(reviewer).patch(
        f"/api/v1/sources/{source.pk}/", {"grade": "B"}, format="json"
    )
    client_for(editor).patch(
        f"/api/v1/sources/{source.pk}/", {"title": "Renamed"}, format="json"
    )
    source.refresh_from_db()
    assert source.grade_confirmed_by == reviewer

"""Reviewer profiles (issue 14, item 7): a medical reviewer creates and edits
their own profile (credentials, specialty, conflict-of-interest statement with
the date declared); the public page links the reviewer's name to a public
profile page."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import ReviewerProfile
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db

MINE = reverse("evidence_reviewer_profile:mine")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_reviewer_creates_then_edits_their_own_profile(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/admin/")
    assert MINE in page.content.decode()  # in the admin menu
    form = client.get(MINE)
    assert form.status_code == 200
    assert "You have no reviewer profile yet" in text(form)

    done = client.post(
        MINE,
        {
            "display_name": "Dr Ada Reviewer",
            "credentials": "MD, PhD",
            "specialty": "Geriatrics",
            "conflict_of_interest": "Consultancy fees from NAD Labs (2025).",
            "conflict_of_interest_declared_on": "",
        },
    )
    assert done.status_code == 302 and done.url == MINE
    profile = ReviewerProfile.objects.get(user=reviewer)
    assert (profile.credentials, profile.specialty) == ("MD, PhD", "Geriatrics")
    assert profile.conflict_of_interest_declared_on == timezone.localdate()
    assert "Your reviewer profile is created" in text(client.get(MINE))

    client.post(
        MINE,
        {
            "display_name": "Dr Ada Reviewer",
            "credentials": "MD, PhD, FRCP",
            "specialty": "Geriatrics",
            "conflict_of_interest": "None declared",
            "conflict_of_interest_declared_on": "2026-01-05",
        },
    )
    profile.refresh_from_db()
    assert profile.credentials == "MD, PhD, FRCP"
    assert profile.conflict_of_interest == "None declared"
    assert profile.conflict_of_interest_declared_on == datetime.date(2026, 1, 5)
    assert ReviewerProfile.objects.count() == 1


def test_the_statement_is_required_and_never_dated_in_the_future(client, reviewer):
    client.force_login(reviewer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        MINE,
        {
            "display_name": "Dr Ada Reviewer",
            "conflict_of_interest": "",
            "conflict_of_interest_declared_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "This field is required." in page
    assert "A statement cannot be declared in the future." in page
    assert not ReviewerProfile.objects.exists()


def test_only_medical_reviewers_have_the_screen(client, writer_in_group, editor):
    for user in (writer_in_group, editor):
        client.force_login(user)
        assert client.get(MINE).status_code in (302, 403)
        assert MINE not in client.get("/admin/").content.decode()


def test_the_byline_links_to_the_public_profile(
    client, article_index, reviewer, editor
):
    ReviewerProfile.objects.create(
        user=reviewer,
        display_name="Dr Ada Reviewer",
        credentials="MD, PhD",
        specialty="Geriatrics",
        conflict_of_interest="Consultancy fees from NAD Labs (2025).",
        conflict_of_interest_declared_on=datetime.date(2026, 3, 2),
    )
    page = make_article(
        article_index,
        title="NR and NAD+",
        slug="nr-profile",
        body=[paragraph("NR raised NAD+.", sources=[SourceFactory()])],
    )
    publish_approved(page, reviewer, editor)
    html = client.get("/articles/nr-profile/").content.decode()
    url = reverse("reviewer_profile", args=[reviewer.pk])
    assert f'<a href="{url}">Dr Ada Reviewer, MD, PhD</a>' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["reviewedBy"][0]["url"] == f"http://localhost{url}"

    profile = client.get(url)
    assert profile.status_code == 200
    shown = text(profile)
    assert "Dr Ada Reviewer, MD, PhD" in shown
    assert "Geriatrics" in shown
    assert "Consultancy fees from NAD Labs (2025)." in shown
    assert "Declared on 2 March 2026" in shown
    assert "NR and NAD+" in shown  # the articles they reviewed


def test_only_medical_reviewers_have_a_public_page(client, writer_in_group, reviewer):
    assert (
        client.get(reverse("reviewer_profile", args=[writer_in_group.pk])).status_code
        == 404
    )
    assert client.get(reverse("reviewer_profile", args=[99999])).status_code == 404
    no_profile = client.get(reverse("reviewer_profile", args=[reviewer.pk]))
    assert no_profile.status_code == 200
    assert "has not written a profile yet" in text(no_profile)

"""The whole editorial flow through the API alone, as a client would run it."""

import re

import pytest

from articles.models import ArticlePage
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

CLAIM = "Oral nicotinamide riboside raised blood NAD+ in healthy adults."


def test_draft_to_live_article_through_the_api(
    site_tree, staff_writer, reviewer, editor, anon_client
):
    writer = client_for(staff_writer)
    token = anon_client.post(
        "/api/v1/auth/token/",
        {"username": "api-editor", "password": "pass-for-tests"},
        format="json",
    )
    assert token.status_code == 200
    editor_client = client_for(None)
    editor_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    created = writer.post(
        "/api/v1/articles/",
        {
            "title": "NR and NAD+",
            "standfirst": "What the research says.",
            "subject_intervention": "nicotinamide riboside",
            "subject_route": "oral",
            "body": [
                {"type": "heading", "value": {"text": "Evidence", "level": "h2"}},
                {
                    "type": "paragraph",
                    "value": {"text": f"<p>{CLAIM}</p>", "role": "claim"},
                },
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    article = created.json()
    assert article["live"] is False
    assert article["slug"] == "nr-and-nad"
    # Every reviewable unit, the reviewed fields first (issue 12).
    units = article["passages"]
    assert [(u["block_id"], u["type"]) for u in units[:3]] == [
        ("title", "title"),
        ("standfirst", "standfirst"),
        ("subject_intervention", "subject_intervention"),
    ]
    assert [u["type"] for u in units[3:]] == ["heading", "paragraph"]
    passage = units[4]
    block_id = passage["block_id"]
    assert {u["review"]["status"] for u in units} == {"unreviewed"}

    assert anon_client.get(f"/api/v1/articles/{article['id']}/").status_code == 404
    assert anon_client.get("/api/v1/articles/").json()["count"] == 0

    ready = writer.get(f"/api/v1/articles/{article['id']}/readiness/").json()
    assert ready["publishable"] is False
    assert [p["rule"] for p in ready["problems"]] == [
        "undecided_unit",  # the title
        "undecided_unit",  # the standfirst
        "undecided_unit",  # the subject
        "undecided_unit",  # the heading
        "uncited_claim",
        "unapproved_claim",
    ]
    assert [p["block_id"] for p in ready["problems"]][-1] == block_id

    refused = editor_client.post(f"/api/v1/articles/{article['id']}/publish/")
    assert refused.status_code == 409
    assert refused.json()["problems"] == ready["problems"]

    source = writer.post(
        "/api/v1/sources/",
        {
            "title": "Chronic nicotinamide riboside supplementation is well tolerated",
            "authors": "Martens CR, Denman BA, Mazzo MR, et al.",
            "journal": "Nature Communications",
            "year": 2018,
            "doi": "https://doi.org/10.1038/S41467-018-03421-7",
            "study_design": "rct",
            "population": "human",
            "sample_size": 24,
            "intervention": "nicotinamide riboside 1,000 mg/day",
            "route": "oral",
            "grade": "B",
        },
        format="json",
    )
    assert source.status_code == 201, source.json()
    assert source.json()["doi"] == "10.1038/s41467-018-03421-7"
    source_id = source.json()["id"]

    article_body = writer.get(
        f"/api/v1/articles/{article['id']}/?revision=latest"
    ).json()
    assert article_body["passages"][4]["block_id"] == block_id
    cited = writer.patch(
        f"/api/v1/articles/{article['id']}/",
        {
            "body": [
                {
                    "type": "heading",
                    "id": article_body["headings"][0]["block_id"],
                    "value": {"text": "Evidence", "level": "h2"},
                },
                {
                    "type": "paragraph",
                    "id": block_id,
                    "value": {
                        "text": f"<p>{CLAIM}</p>",
                        "role": "claim",
                        "citations": [
                            {"source": source_id, "stance": "supports", "locator": ""}
                        ],
                    },
                },
            ]
        },
        format="json",
    )
    assert cited.status_code == 200, cited.json()
    assert cited.json()["passages"][4]["block_id"] == block_id
    assert cited.json()["passages"][4]["citations"] == [
        {"source": source_id, "stance": "supports", "locator": ""}
    ]

    ready = writer.get(f"/api/v1/articles/{article['id']}/readiness/").json()
    assert [p["rule"] for p in ready["problems"]] == ["undecided_unit"] * 4 + [
        "unapproved_claim"
    ]

    shown = client_for(reviewer).get(
        f"/api/v1/articles/{article['id']}/?revision=latest"
    )
    # The reviewer reads the title, standfirst, subject and heading, and
    # confirms them together: none states a claim.
    context = [u for u in shown.json()["passages"] if u["role"] == "context"]
    confirmed = client_for(reviewer).post(
        f"/api/v1/articles/{article['id']}/context-confirmations/",
        {
            "passages": [
                {"block_id": u["block_id"], "fingerprint": u["fingerprint"]}
                for u in context
            ]
        },
        format="json",
    )
    assert confirmed.status_code == 201, confirmed.json()
    assert len(confirmed.json()) == 4
    fingerprint = shown.json()["passages"][4]["fingerprint"]
    review = client_for(reviewer).post(
        f"/api/v1/articles/{article['id']}/passages/{block_id}/reviews/",
        {
            "decision": "approve",
            "note": "Matches the trial's primary outcome.",
            "fingerprint": fingerprint,
        },
        format="json",
    )
    assert review.status_code == 201, review.json()
    decision = review.json()
    assert decision["decision"] == "approve"
    assert decision["certainty"] == decision["suggested_certainty"] != ""

    ready = writer.get(f"/api/v1/articles/{article['id']}/readiness/").json()
    assert ready == {
        "publishable": True,
        "errors": {},
        "problems": [],
        "warnings": ready["warnings"],
    }

    published = editor_client.post(f"/api/v1/articles/{article['id']}/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["live"] is True

    listing = anon_client.get("/api/v1/articles/").json()
    assert [a["id"] for a in listing["results"]] == [article["id"]]
    public = anon_client.get(f"/api/v1/articles/{article['id']}/").json()
    passage = public["passages"][4]
    assert passage["block_id"] == block_id
    assert public["passages"][0]["review"]["status"] == "confirmed_not_claim"
    # Stored as the page editor stores rich text: a key on each paragraph.
    body = ArticlePage.objects.get(pk=article["id"]).body.raw_data
    [stored] = [block for block in body if block["id"] == block_id]
    assert re.fullmatch(
        rf'<p data-block-key="\w+">{re.escape(CLAIM)}</p>', stored["value"]["text"]
    )
    # Shown as the page shows it: the block's template, without the keys.
    assert f"<p>{CLAIM}</p>" in passage["html"]
    assert f'id="p-{block_id}"' in passage["html"]
    assert passage["text"] == CLAIM
    assert passage["review"]["status"] == "approved"
    assert passage["review"]["certainty"] == decision["certainty"]
    assert public["reviewed_by"] == [
        {"name": reviewer.get_full_name(), "credentials": ""}
    ]
    assert public["first_published_at"] is not None

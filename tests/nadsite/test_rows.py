"""nadsite.rows: instances from plain SQL equal the ORM's."""

import pytest
from django.db import connection

from evidence.models import ReviewDecision, Source
from nadsite import rows
from nadsite.rows import chunks, in_bulk, param_limit
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def field_values(instance):
    return {
        f.attname: getattr(instance, f.attname) for f in type(instance)._meta.fields
    }


def test_in_bulk_equals_the_orm(django_assert_num_queries):
    sources = [SourceFactory(year=2000 + n, sample_size=10 * n) for n in range(5)]
    Source.objects.filter(pk=sources[0].pk).update(
        retraction_checked_at="2026-01-02T03:04:05Z"
    )
    ids = {s.pk for s in sources} | {999_999}
    with django_assert_num_queries(1):
        found = in_bulk(Source, ids)
    expected = Source.objects.in_bulk(ids)
    assert set(found) == set(expected)
    for pk, source in found.items():
        assert type(source) is Source
        assert source._state.adding is False
        assert field_values(source) == field_values(expected[pk])
    assert found[sources[0].pk].retraction_checked_at.tzinfo is not None


def test_in_bulk_of_nothing_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert in_bulk(Source, set()) == {}


def test_the_parameter_limit_is_the_databases_own():
    limit = param_limit()
    if connection.vendor == "sqlite":
        # What SQLite reports (often far above Django's conservative 999).
        assert limit >= connection.features.max_query_params
    else:
        assert limit is None


def test_chunks_respect_the_parameter_limit(monkeypatch):
    monkeypatch.setattr(rows, "param_limit", lambda using="default": 10)
    assert chunks(list(range(25))) == [
        list(range(10)),
        list(range(10, 20)),
        list(range(20, 25)),
    ]
    assert chunks(list(range(25)), reserved=1)[0] == list(range(9))
    monkeypatch.setattr(rows, "param_limit", lambda using="default": None)
    assert chunks(list(range(25))) == [list(range(25))]
    assert chunks([]) == []


def test_in_bulk_over_several_statements(monkeypatch):
    sources = [SourceFactory() for _ in range(7)]
    monkeypatch.setattr(rows, "param_limit", lambda using="default": 3)
    found = in_bulk(Source, {s.pk for s in sources})
    assert sorted(found) == sorted(s.pk for s in sources)


def test_decision_rows_keep_their_types(reviewer, article_index, writer, editor):
    """The review decisions read in plain SQL (evidence.review.data) hold the
    ORM's values, converted the same way."""
    from evidence.passages import read_passages
    from evidence.review.data import DecisionRow, ReviewData
    from tests.factories import make_article, paragraph, publish_approved

    page = publish_approved(
        make_article(
            article_index, owner=writer, body=[paragraph(sources=[SourceFactory()])]
        ),
        reviewer,
        editor,
    )
    passages = read_passages(page)
    data = ReviewData.load(passages, with_reviewers=False)
    [decision] = data.decisions[passages[0].block_id]
    expected = ReviewDecision.objects.get(pk=decision.pk)
    for name in DecisionRow.FIELDS:
        attr = "pk" if name == "id" else name
        assert getattr(decision, attr) == getattr(expected, name)
    assert decision.created_at.tzinfo is not None
    assert decision.reviewer_counts is True
    assert decision.reviewer == reviewer
    assert data.author_of(passages[0]) == writer.pk


def test_nulls_skip_only_converters_that_keep_them(home, article_index, writer):
    """A NULL date stays None without its converters running; a StreamField
    still turns NULL into an empty stream, as the ORM does."""
    from wagtail.models import Page

    from articles.models import ArticlePage
    from nadsite.rows import Columns

    cols = Columns(ArticlePage, {Page: "p", ArticlePage: "a"})
    keeps = {cols.fields[i].name: keeps for i, _, _, keeps in cols.converters}
    # SQLite converts dates; PostgreSQL's driver needs no converter at all.
    assert keeps.get("last_reviewed_at", True) is True
    assert keeps["body"] is False
    row = [None] * len(cols)
    values = dict(zip(cols.names, cols.values(row), strict=True))
    assert values["last_reviewed_at"] is None
    assert list(values["body"]) == []

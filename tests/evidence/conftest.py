import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import SourceFactory, make_article, paragraph, publish_approved

# The clock every living-evidence test runs at.
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def nr_trial(db):
    return SourceFactory(
        title="Chronic nicotinamide riboside supplementation is well tolerated",
        authors="Martens CR, Denman BA, Mazzo MR",
        year=2018,
        pmid="29599478",
        study_design="rct",
        population="human",
        sample_size=24,
        grade="B",
    )


@pytest.fixture
def live_article(article_index, writer, reviewer, editor, nr_trial, frozen):
    """A live article with two claims citing the trial and one context passage."""
    page = make_article(
        article_index,
        owner=writer,
        title="Oral NR and NAD+",
        subject_intervention="nicotinamide riboside",
        body=[
            paragraph("Oral NR raised blood NAD+ in adults.", sources=[nr_trial]),
            paragraph("NR was well tolerated for six weeks.", sources=[nr_trial]),
            paragraph("Here is what the studies did.", role="context"),
        ],
    )
    return publish_approved(page, reviewer, editor)


def claim_ids(page):
    from evidence.passages import read_passages

    return [p.block_id for p in read_passages(page) if p.is_claim]


def days_later(frozen, days):
    frozen.move_to(timezone.now() + datetime.timedelta(days=days))

"""Benchmark the publish gate on a 1,000-unit article.

    DJANGO_SETTINGS_MODULE=nadsite.settings_test .venv/bin/python bench/gate_bench.py

Creates a throwaway test database (in-memory SQLite by default, or a
`test_` copy of DATABASE_URL's database), builds an article of 1,000
reviewable units (its title and standfirst, and 998 body blocks: cited
claims, with every tenth a heading or a context passage) with an approval
for every claim and a "not a claim" confirmation for every other unit,
then times `publish_problems()` on its latest version and counts queries.

The first check runs with the process's caches empty (the claim detector's
verdicts are kept per passage text) and is reported on its own.

    ... bench/gate_bench.py --unreviewed-context

is the worst case instead: all 998 body blocks are context passages, and
no unit has been decided, so the first check runs the claim detector on
every one (to say which are flagged).
"""

import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nadsite.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

PASSAGES = 998  # with the title and the standfirst: 1,000 units
UNREVIEWED = "--unreviewed-context" in sys.argv
CONTEXT_EVERY = 1 if UNREVIEWED else 10  # every tenth passage is context
RUNS = 25


def build():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.demo.site_tree import ensure_site_tree
    from articles.models import ArticlePage
    from evidence.models import ReviewDecision, Source
    from evidence.passages import reviewable_units

    User = get_user_model()
    writer = User.objects.create(username="bench-writer")
    reviewer = User.objects.create(username="bench-reviewer")
    reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
    _, index = ensure_site_tree(reviewer)
    sources = [
        Source.objects.create(
            title=f"Trial {n}",
            authors="Smith AB",
            year=2020,
            doi=f"10.5555/bench.{n}",
            study_design="rct",
            population="human",
            sample_size=200,
            grade="B",
        )
        for n in range(40)
    ]
    blocks = []
    for n in range(PASSAGES):
        context = n % CONTEXT_EVERY == 0
        cited = [] if context else [sources[n % 40], sources[(n * 7) % 40]]
        if context and not UNREVIEWED and n % (2 * CONTEXT_EVERY) == 0:
            blocks.append(
                {
                    "type": "heading",
                    "id": str(uuid.uuid4()),
                    "value": {"text": f"Section {n}", "level": "h2"},
                }
            )
            continue
        blocks.append(
            {
                "type": "paragraph",
                "id": str(uuid.uuid4()),
                "value": {
                    "text": (
                        f"<p>In this section, passage {n} introduces the topic.</p>"
                        if context
                        else f"<p>NAD+ levels in trial {n} rose by {n % 60}% "
                        "after eight weeks of supplementation.</p>"
                    ),
                    "role": "context" if context else "claim",
                    "citations": [
                        {
                            "type": "item",
                            "id": str(uuid.uuid4()),
                            "value": {
                                "source": s.pk,
                                "stance": "supports",
                                "locator": "",
                            },
                        }
                        for s in cited
                    ],
                },
            }
        )
    page = ArticlePage(
        title="Bench",
        slug="bench",
        standfirst="A long article.",
        body=json.dumps(blocks),
        owner=writer,
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision(user=writer)
    version = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    if UNREVIEWED:
        return page
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            page_id=page.pk,
            block_id=p.block_id,
            fingerprint=p.fingerprint,
            excerpt=p.excerpt,
            decision="approve" if p.is_claim else "not_a_claim",
            certainty="moderate" if p.is_claim else "",
            reviewer=reviewer,
        )
        for p in reviewable_units(version)
    )
    return page


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from articles.models import ArticlePage
        from evidence.gate import publish_problems

        page = build()
        version = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
        start = time.perf_counter()
        problems = publish_problems(version)
        first = (time.perf_counter() - start) * 1000
        if problems and not UNREVIEWED:
            raise SystemExit(f"The bench article should pass: {problems[:3]}")
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            publish_problems(version)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            publish_problems(version)
        print(f"database: {connection.vendor}")
        from evidence.passages import reviewable_units

        units = reviewable_units(version)
        context = sum(1 for unit in units if not unit.is_claim)
        print(
            f"publish_problems on {len(units)} units "
            f"({context} context: title, standfirst, headings, passages"
            f"{'; none reviewed' if UNREVIEWED else ''}), {RUNS} runs"
        )
        print(f"  first  {first:.1f} ms (caches empty)")
        print(f"  median {statistics.median(timings):.1f} ms")
        print(f"  p95    {percentile(timings, 0.95):.1f} ms")
        print(f"  max    {max(timings):.1f} ms")
        print(f"  queries per check: {len(ctx.captured_queries)}")
        if os.environ.get("GATE_PROFILE"):
            import cProfile

            cProfile.runctx(
                "publish_problems(version)", globals(), locals(), sort="cumtime"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()

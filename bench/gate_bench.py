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

Each figure is given in wall time and in CPU time of this process
(`time.process_time`), with the load average when the run started: on the
shared machine the wall time is mostly waiting for a CPU.

    ... bench/gate_bench.py --instructions

runs the bench again under `valgrind --tool=callgrind`, with instrumentation
switched on only around 5 steady-state checks (a small helper built with
gcc and valgrind's callgrind.h, called through ctypes), and prints the
instructions per check: a count that does not move with the machine's load.

    ... bench/gate_bench.py --publish 10

also times the publish request end to end in process: `publish_latest` of
the demo article (`load_demo_content`) and of the 1,000-unit article, each
time on a new revision of the same content (so every decision still
holds), the way the API's publish endpoint calls it (issue 13's
publish-to-visible is mostly this request).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import callgrind

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
COUNTED = 5  # steady-state checks counted under callgrind


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


def empty_caches():
    """The process's caches as a process that has just started has them:
    the claim detector's verdicts and the units' hashes (building the
    article worked some of them out)."""
    from evidence import passages
    from evidence.review.state import reads_like_claim

    reads_like_claim.cache_clear()
    if memo := getattr(passages, "ContentMemo", None):
        memo.clear_all()


def timed(function, *args):
    """(result, wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return (
        result,
        (time.perf_counter() - wall) * 1000,
        (time.process_time() - cpu) * 1000,
    )


def instructions():
    """Run this bench under callgrind and return the instructions of one
    steady-state check."""
    with tempfile.TemporaryDirectory() as directory:
        found = callgrind.counted_totals(
            __file__, directory, *(["--unreviewed-context"] if UNREVIEWED else [])
        )
    if "counted" not in found:
        raise SystemExit("callgrind wrote no dump of the counted checks")
    return found["counted"] / COUNTED


def publish_times(page, editor, runs):
    """Wall ms, CPU ms and queries of `publish_latest(page, editor)`, each on
    a new revision of the same content."""
    from articles.models import ArticlePage
    from evidence.gate.publish import publish_latest

    walls, cpus, queries = [], [], []
    for _ in range(runs):
        page = ArticlePage.objects.get(pk=page.pk)
        page.get_latest_revision_as_object().save_revision(user=page.owner)
        page = ArticlePage.objects.get(pk=page.pk)
        with CaptureQueriesContext(connection) as ctx:
            _, wall, cpu = timed(publish_latest, page, editor)
        walls.append(wall)
        cpus.append(cpu)
        queries.append(len(ctx.captured_queries))
    return walls, cpus, queries


def bench_publish(bench_page, runs):
    from django.contrib.auth import get_user_model

    from articles.demo import load_demo_content
    from articles.models import ArticlePage

    load_demo_content()
    editor = get_user_model().objects.get(username="editor")
    demo = ArticlePage.objects.get(slug="nad-iv-therapy-and-ageing")
    for label, page in (("demo article", demo), ("1,000-unit article", bench_page)):
        walls, cpus, queries = publish_times(page, editor, runs + 1)
        first = f"{walls[0]:.0f} ms (CPU {cpus[0]:.0f} ms)"
        walls, cpus = walls[1:], cpus[1:]
        print(
            f"publish_latest, {label}, {runs} runs after the first ({first}): "
            f"median {statistics.median(walls):.1f} ms "
            f"(CPU {statistics.median(cpus):.1f} ms), "
            f"p95 {percentile(walls, 0.95):.1f} ms, "
            f"{statistics.median(queries):.0f} queries"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unreviewed-context", action="store_true")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--publish", type=int, default=0, metavar="RUNS")
    parser.add_argument("--counted-inside", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    load = os.getloadavg()
    if args.instructions:
        per_check = instructions()
        print(f"instructions per steady-state check: {per_check / 1e6:.1f} M")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from articles.models import ArticlePage
        from evidence.gate import publish_problems

        page = build()
        version = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
        empty_caches()
        problems, first, first_cpu = timed(publish_problems, version)
        if problems and not UNREVIEWED:
            raise SystemExit(f"The bench article should pass: {problems[:3]}")
        if args.counted_inside:
            zero, on, off, dump = callgrind.switch(args.counted_inside)
            publish_problems(version)
            zero()
            on()
            for _ in range(COUNTED):
                publish_problems(version)
            off()
            dump(b"counted")
            return
        timings, cpu = [], []
        for _ in range(args.runs):
            _, wall, used = timed(publish_problems, version)
            timings.append(wall)
            cpu.append(used)
        with CaptureQueriesContext(connection) as ctx:
            publish_problems(version)
        print(f"database: {connection.vendor}")
        print("load average at the start: " + ", ".join(f"{n:.2f}" for n in load))
        from evidence.passages import reviewable_units

        units = reviewable_units(version)
        context = sum(1 for unit in units if not unit.is_claim)
        print(
            f"publish_problems on {len(units)} units "
            f"({context} context: title, standfirst, headings, passages"
            f"{'; none reviewed' if UNREVIEWED else ''}), {args.runs} runs"
        )
        print(f"  first  {first:.1f} ms (CPU {first_cpu:.1f} ms; caches empty)")
        print(
            f"  median {statistics.median(timings):.1f} ms "
            f"(CPU {statistics.median(cpu):.1f} ms)"
        )
        print(
            f"  p95    {percentile(timings, 0.95):.1f} ms "
            f"(CPU {percentile(cpu, 0.95):.1f} ms)"
        )
        print(f"  max    {max(timings):.1f} ms")
        print(f"  queries per check: {len(ctx.captured_queries)}")
        if os.environ.get("GATE_PROFILE"):
            import cProfile

            cProfile.runctx(
                "publish_problems(version)", globals(), locals(), sort="tottime"
            )
        if args.publish:
            bench_publish(page, args.publish)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()

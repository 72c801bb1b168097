"""Benchmark the Medical review schedule report on 10,000 live articles.

    DJANGO_SETTINGS_MODULE=nadsite.settings_test .venv/bin/python \
        bench/schedule_report_bench.py [--rows 10000] [--runs 5]

Creates a throwaway test database (in-memory SQLite by default, or a
`test_` copy of DATABASE_URL's database), generates the rows (live pages
under the article index, each with a review schedule; every tenth with an
open re-review flag), then times, through Django's test client as an
editor: the report's first page (HTML, 50 rows), the report filtered to
overdue articles, the CSV export and the XLSX export of every row, and the
dashboard panel. Prints the median and spread of each and the query count.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nadsite.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)


def arg(name, default):
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default


ROWS = arg("--rows", 10_000)
RUNS = arg("--runs", 5)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(number: int) -> str:
    """A treebeard path step (4 base-36 digits)."""
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits


def build():
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from articles.demo.site_tree import ensure_site_tree
    from articles.models import ArticlePage
    from evidence.models import EvidenceFlag, ReviewSchedule
    from tests.factories import UserFactory

    site_reviewer = UserFactory(username="bench-site-reviewer")
    site_reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
    _, index = ensure_site_tree(site_reviewer)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    pages = [
        Page(
            title=f"Generated article {i}",
            slug=f"generated-{i}",
            path=index.path + step(i + 1),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}generated-{i}/",
            content_type=article_type,
            live=True,
            locale=locale,
            first_published_at=now,
            last_published_at=now,
        )
        for i in range(ROWS)
    ]
    Page.objects.bulk_create(pages, batch_size=1000)
    Page.objects.filter(pk=index.pk).update(numchild=ROWS)
    ids = list(
        Page.objects.filter(slug__startswith="generated-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    ReviewSchedule.objects.bulk_create(
        (
            ReviewSchedule(
                page_id=pk,
                last_reviewed_at=now - datetime.timedelta(days=i % 500),
                reviewer_names="Dr Rhea Okafor, MD, MPH",
                next_review_due=today + datetime.timedelta(days=365 - i % 500),
                interval_months=6 if i % 7 == 0 else None,
            )
            for i, pk in enumerate(ids)
        ),
        batch_size=1000,
    )
    EvidenceFlag.objects.bulk_create(
        (
            EvidenceFlag(page_id=pk, block_id="b", reason="new_evidence")
            for pk in ids[::10]
        ),
        batch_size=1000,
    )
    editor = UserFactory(username="bench-editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def timed(label, call, runs=RUNS):
    call()  # warm up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        call()
    print(
        f"  {label:<34} median {statistics.median(timings):7.1f} ms  "
        f"min {min(timings):7.1f}  max {max(timings):7.1f}  "
        f"queries {len(ctx.captured_queries)}"
    )


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.urls import reverse

        from evidence.admin.living import LivingEvidencePanel

        editor = build()
        client = Client()
        client.force_login(editor)
        url = reverse("evidence_living_report")

        def get(params):
            def call():
                response = client.get(url, params)
                if response.status_code != 200:
                    raise SystemExit(f"The report answered {response.status_code}")
                if response.streaming:
                    b"".join(response.streaming_content)
                else:
                    response.content  # noqa: B018

            return call

        request = RequestFactory().get("/admin/")
        request.user = editor
        print(f"database: {connection.vendor}; {ROWS} live articles; {RUNS} runs")
        timed("report, first page (HTML)", get({}))
        timed("report, overdue filter (HTML)", get({"due": "overdue"}))
        timed("report, CSV export (all rows)", get({"export": "csv"}))
        timed("report, XLSX export (all rows)", get({"export": "xlsx"}))
        timed(
            "dashboard panel (context)",
            lambda: LivingEvidencePanel().get_context_data({"request": request}),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()

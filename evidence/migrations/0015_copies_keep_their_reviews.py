"""Pages copied before decisions were scoped to their page get their reviews.

Decisions used to be found by block id alone, so a copy (which keeps its
original's block ids) counted its original's decisions. They are now read
by page; this gives each earlier copy, recognised by Wagtail's copy log and
its copied revisions, the decisions its original had when it was copied
(`evidence.review.copies.backfill_earlier_copies`). A page that merely
reused block ids is not a copy and gets nothing: `audit_live_articles` lists
it if it is live.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from evidence.review.copies import backfill_earlier_copies

    backfill_earlier_copies(
        {
            "ReviewDecision": apps.get_model("evidence", "ReviewDecision"),
            "PassageAuthorship": apps.get_model("evidence", "PassageAuthorship"),
            "Revision": apps.get_model("wagtailcore", "Revision"),
            "PageLogEntry": apps.get_model("wagtailcore", "PageLogEntry"),
        }
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0014_reviewer_coi_declared_on"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

import io

import httpx
import pytest
from django.core.management import CommandError, call_command

from articles.models import ArticlePage
from evidence.models import ReviewSchedule, SavedSearch
from tests.evidence.library import recorded_http as rec

pytestmark = pytest.mark.django_db


def test_the_demo_article_is_watched_and_scheduled(monkeypatch):
    call_command("load_demo_content", stdout=io.StringIO())
    call_command("load_demo_content", stdout=io.StringIO())
    page = ArticlePage.objects.live().get()
    search = SavedSearch.objects.get()
    assert search.page_id == page.pk and search.pubmed_query
    due = ReviewSchedule.objects.get(page=page)
    assert due.last_reviewed_at == page.last_reviewed_at
    assert due.next_review_due is not None
    # Offline, the check says so, changes nothing and exits non-zero.
    error = httpx.ConnectError("[Errno -3] Temporary failure in name resolution")
    rec.serve(monkeypatch, {"eutils.ncbi.nlm.nih.gov": error})
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_new_evidence", stdout=out, stderr=io.StringIO())
    assert failure.value.returncode == 1
    assert "PubMed could not be reached" in out.getvalue()
    search.refresh_from_db()
    assert search.last_checked_on is None

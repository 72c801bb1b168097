import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from articles.models import ArticlePage
from evidence.living import schedule
from evidence.models import (
    EvidenceFlag,
    PublishSnapshot,
    ReviewDecision,
    ReviewSchedule,
    ReviewScheduleSettings,
)
from tests.evidence.conftest import NOW, claim_ids, days_later
from tests.factories import (
    make_article,
    paragraph,
    publish_approved,
    set_passage_text,
)

pytestmark = pytest.mark.django_db


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert schedule.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(
        2026, 2, 28
    )
    assert schedule.add_months(datetime.date(2026, 12, 7), 12) == datetime.date(
        2027, 12, 7
    )
    assert schedule.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(
        2025, 2, 28
    )


def test_publishing_schedules_the_next_review_from_the_last_one(live_article, reviewer):
    due = ReviewSchedule.objects.get(page=live_article)
    assert due.last_reviewed_at == NOW
    assert due.next_review_due == datetime.date(2027, 12, 7)
    assert due.reviewer_names == reviewer.get_full_name()


def test_the_site_interval_and_an_article_override(live_article):
    settings = ReviewScheduleSettings.load()
    settings.interval_months = 6
    settings.save()
    due = ReviewSchedule.objects.get(page=live_article)
    assert due.next_review_due == datetime.date(2027, 6, 7)
    schedule.set_interval(live_article, 3)
    due.refresh_from_db()
    assert due.next_review_due == datetime.date(2027, 3, 7)
    settings.interval_months = 24
    settings.save()
    due.refresh_from_db()
    assert due.next_review_due == datetime.date(2027, 3, 7)  # its own interval


def test_republishing_without_changes_keeps_the_public_date(
    frozen, live_article, editor
):
    days_later(frozen, 30)
    page = ArticlePage.objects.get(pk=live_article.pk)
    page.save_revision(user=editor).publish(user=editor)
    page.refresh_from_db()
    assert page.last_reviewed_at == NOW
    assert ReviewSchedule.objects.get(page=page).last_reviewed_at == NOW


def test_reconfirming_records_a_decision_per_unit_and_moves_the_date(
    frozen, live_article, second_reviewer
):
    days_later(frozen, 400)
    before = ReviewDecision.objects.count()
    decisions = schedule.reconfirm(live_article, second_reviewer)
    # Both claims approved again, every other unit (the title, the
    # standfirst, the context passage) confirmed again.
    approved = [d.block_id for d in decisions if d.decision == "approve"]
    assert approved == claim_ids(live_article)
    others = [d for d in decisions if d.decision != "approve"]
    assert {d.decision for d in others} == {"not_a_claim"}
    assert {"title", "standfirst"} <= {d.block_id for d in others}
    earlier = {
        d.block_id: d.certainty
        for d in ReviewDecision.objects.filter(reviewer__username="reviewer1")
    }
    approvals = [d for d in decisions if d.decision == "approve"]
    assert [d.certainty for d in approvals] == [earlier[b] for b in approved]
    assert ReviewDecision.objects.count() == before + len(decisions)
    page = ArticlePage.objects.get(pk=live_article.pk)
    moved = NOW + datetime.timedelta(days=400)
    assert page.last_reviewed_at == moved
    assert second_reviewer in page.reviewed_by.all()
    # Readers see the re-confirmation: the live version's snapshot moved too.
    snapshot = PublishSnapshot.objects.live_for(page)
    assert snapshot.last_reviewed_at == moved
    assert second_reviewer.pk in snapshot.reviewer_ids
    due = ReviewSchedule.objects.get(page=page)
    assert due.last_reviewed_at == moved
    assert due.next_review_due == datetime.date(2029, 1, 11)
    assert not page.has_unpublished_changes


def test_reconfirming_is_refused_while_a_flag_is_open(live_article, second_reviewer):
    EvidenceFlag.objects.create(
        page=live_article, block_id=claim_ids(live_article)[0], reason="new_evidence"
    )
    with pytest.raises(schedule.ReconfirmRefused, match="flags are open"):
        schedule.reconfirm(live_article, second_reviewer)


def test_reconfirming_is_refused_with_unpublished_changes(
    live_article, writer, second_reviewer
):
    set_passage_text(live_article, writer, 0, "Oral NR doubled blood NAD+.")
    before = ReviewDecision.objects.count()
    with pytest.raises(schedule.ReconfirmRefused, match="unpublished changes"):
        schedule.reconfirm(live_article, second_reviewer)
    assert ReviewDecision.objects.count() == before


def test_reconfirming_ones_own_words_records_nothing(
    article_index, reviewer, second_reviewer, editor, nr_trial, frozen
):
    page = make_article(
        article_index,
        owner=second_reviewer,
        body=[paragraph("NR raised NAD+.", sources=[nr_trial])],
    )
    page = publish_approved(page, reviewer, editor)
    before = ReviewDecision.objects.count()
    with pytest.raises(schedule.ReviewRefused):
        schedule.reconfirm(page, second_reviewer)
    assert ReviewDecision.objects.count() == before


def _articles(count, article_index, writer, reviewer, editor, nr_trial):
    for i in range(count):
        page = make_article(
            article_index,
            owner=writer,
            body=[paragraph(f"NR claim {i}.", sources=[nr_trial])],
        )
        publish_approved(page, reviewer, editor)


@pytest.mark.parametrize("count", [2, 6])
def test_due_lists_take_four_queries_whatever_the_number_of_articles(
    count,
    frozen,
    article_index,
    writer,
    reviewer,
    editor,
    nr_trial,
    django_assert_num_queries,
):
    _articles(count, article_index, writer, reviewer, editor, nr_trial)
    ReviewScheduleSettings.load()  # the setting is read once per request
    today = datetime.date(2027, 12, 20)
    with django_assert_num_queries(4):
        lists = schedule.due_lists(today)
        [(s.page.title, s.open_flags) for s in lists["overdue"].items]
    assert lists["overdue"].total == count
    assert lists["due_this_month"].total == 0


def test_reminders_go_before_on_the_day_and_after_each_once(
    frozen, live_article, reviewer, editor
):
    due = datetime.date(2027, 12, 7)
    sent = []
    for day in (
        due - datetime.timedelta(days=15),
        due - datetime.timedelta(days=14),
        due - datetime.timedelta(days=14),
        due,
        due + datetime.timedelta(days=14),
        due + datetime.timedelta(days=20),
    ):
        sent.append([r["stage"] for r in schedule.send_review_reminders(day)["sent"]])
    assert sent == [[], ["before"], [], ["due"], ["after"], []]
    assert len(mail.outbox) == 3
    first = mail.outbox[0]
    assert set(first.to) == {reviewer.email, editor.email}
    assert first.subject == "Medical review due in 14 days: Oral NR and NAD+"
    assert f"/admin/evidence/review/{live_article.pk}/" in first.body
    assert mail.outbox[2].subject.startswith("Medical review overdue by 14 days")


def test_a_missed_day_sends_only_the_reminder_that_applies(frozen, live_article):
    late = datetime.date(2027, 12, 9)
    result = schedule.send_review_reminders(late)
    assert [r["stage"] for r in result["sent"]] == ["due"]


def test_the_reminder_command_reports_what_it_sent(frozen, live_article, capsys):
    days_later(frozen, 365 - 14)
    call_command("send_review_reminders")
    out = capsys.readouterr().out
    assert f"page {live_article.pk} (before)" in out
    assert "1 reminders sent." in out

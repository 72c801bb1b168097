"""THE publish gate: whether a version of a page may go live.

One function decides (`publish_problems`, with the rules in
`evidence.gate.rules`); every way of publishing asks it through a thin
adapter. Wagtail's publish paths do not share one method and no single hook
sees them all, so the adapters overlap on purpose: a publish from the editor
meets the form, then `publish()`, then the `pre_save` guard, and the gate
runs each time. That costs a few milliseconds and means no path depends on
another adapter having run.

Every publish path, its adapter and its test (tests in tests/evidence/gate/
unless named otherwise):

- Editor "Publish", revert-and-publish, create view "Publish":
  `GatedPageForm.clean` (gate/forms.py) shows the problems on the passages.
  test_publish_paths.py: test_edit_view_publish, test_revert_and_publish,
  test_create_view_publish.
- `revision.publish()`, `page.save_revision().publish()`: the gated page
  type's `publish()` runs `gated_publish` (gate/publish.py).
  test_publish_paths.py: test_revision_publish_from_code.
- Management commands and our API: `publish_latest` (gate/publish.py).
  test_publish_paths.py: test_publish_latest; tests/api/test_flow.py.
- Bulk publish: the `before_bulk_action` hook (gate/bulk.py).
  test_publish_paths.py: test_bulk_publish,
  test_bulk_publish_with_descendants_names_the_blocked_child.
- Workflow: the Medical review task hides and refuses "Approve"
  (gate/workflow.py, asked by `evidence.models.MedicalReviewTask`); the
  finish action publishes the approved revision through `publish()`
  (gate/finish.py).
  test_publish_paths.py: test_last_workflow_approval; test_review_workflow.py.
- Scheduled: `manage.py publish_scheduled` (management/commands/) unschedules
  a refused revision and publishes the rest. test_publish_paths.py:
  test_scheduled_publish_unschedules_refused_and_publishes_the_rest,
  test_scheduling_a_refused_version_is_refused.
- Wagtail's admin API, a direct `PublishPageRevisionAction`, copy with
  "publish copies", aliases, `add_child()` of a live page, a live page
  `save()`d with a changed title, introduction or body: the `pre_save`
  guard `guard_live_save` (gate/signals.py, gate/publish.py).
  test_publish_paths.py: test_wagtail_admin_api_publish,
  test_copy_and_publish, test_alias, test_add_child_live_from_code;
  test_index_pages.py: test_a_changed_title_saved_on_the_live_row_is_refused.
- A plain `Page` object of a gated page set live or given a new title and
  `save()`d: a `pre_save` receiver on `Page` runs `guard_live_save` on the
  page as it will stand (`guard_plain_page_save`, gate/publish.py).
  test_publish_paths.py: test_a_plain_page_saved_live_from_code;
  test_stale_edits.py: test_a_live_pages_title_changed_through_a_plain_page_is_refused.

A gated page type with no passage stream (an index page, whose units are
its title and introduction) goes through the same adapters; tried on the
editor, code, `publish_latest`, the admin API, bulk, scheduled publishing
and `add_child` (test_index_pages.py, and
test_an_index_pages_unreviewed_intro_on_every_path in test_publish_paths.py).

Atomic with edits: a publish locks the page row (`gated_publish`,
`publish_latest`), and so do the saves that could overwrite it: the API's
PATCH (articles/api/views.py) and any save of a gated page read while not
live or built in memory, Wagtail's page editor included (`GatedPage.save`,
`save_keeping_live_content` in gate/publish.py: once the row is live it
writes only the draft fields, and logs those it did not write), or through
a plain `Page` object of one (`keep_live_page_row`, from the `pre_save`
receiver on `Page`), both by one test under one lock
(`live_row_since_read`: the row went live after a publish date the object
does not hold; a page set live by a save is dated as a publish,
`date_going_live`). tests/api/test_concurrency.py; test_stale_edits.py.

Not covered: `QuerySet.update(live=True)`, raw SQL and `loaddata`
(docs/publish-gate.md, "Not covered").

Every covered path ends in the `pre_save` guard, which writes the publish
snapshot of the version going live (`evidence.models.PublishSnapshot`: each
unit's outcome and the byline, what readers are shown); tested path by path
in test_snapshots.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

PUBLISH_REFUSED_LOG_ACTION = "evidence.publish_refused"

__all__ = [
    "PUBLISH_REFUSED_LOG_ACTION",
    "Problem",
    "PublishBlocked",
    "ensure_publishable",
    "publish_problems",
]


@dataclass(frozen=True)
class Problem:
    """One reason a version cannot go live, naming the passage and the rule."""

    block_id: str
    position: int
    rule: str
    excerpt: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class PublishBlocked(ValidationError):
    """This version of the page may not go live yet.

    Keyed by the page's passages field (and a field unit's problem by its
    own field: "title", "standfirst"), so Wagtail's admin API answers 400
    with the messages and the editor shows them on the field; `problems`
    keeps the structured list.
    """

    def __init__(self, problems, message=None, *, field=NON_FIELD_ERRORS, fields=()):
        self.problems = list(problems)
        if message:
            super().__init__({field: [message]})
            return
        by_field: dict[str, list[str]] = {}
        for problem in self.problems:
            # A field unit's problem (the title...) is keyed by its field.
            key = (
                problem.block_id
                if problem.position < 1 and problem.block_id in fields
                else field
            )
            by_field.setdefault(key, []).append(problem.message)
        super().__init__(by_field or {field: []})

    @classmethod
    def for_page(cls, page, problems, message=None):
        """Refused for `page`: the problems of its passages keyed by its
        passages field, those of its reviewed fields by each field."""
        field = getattr(page, "passages_field", "") or NON_FIELD_ERRORS
        fields = tuple(getattr(page, "reviewed_fields", ()) or ())
        return cls(problems, message, field=field, fields=fields)


def publish_problems(page) -> list[Problem]:
    """Every reason this version cannot go live; an empty list means it can.

    `page` is the version going live, e.g. `revision.as_object()`.
    """
    # Imported here: Wagtail imports the workflow's finish action
    # (gate/finish.py) while the models are still loading, so this package
    # must not load the rules, which read the models, on import.
    from evidence.gate.rules import evaluate

    # The problems need only what the rules read of each decision.
    return evaluate(page, full=False).problems


def ensure_publishable(page) -> None:
    """Raise PublishBlocked, listing every problem, unless `page` may go live."""
    if problems := publish_problems(page):
        raise PublishBlocked.for_page(page, problems)

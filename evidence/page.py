"""GatedPage: the contract a page type fulfils to go through the publish gate.

A page type is gated by inheriting `GatedPage` before `Page`:

    class ReportPage(GatedPage, Page):
        passages_field = "content"
        content = StreamField(ReportBodyBlock())

        def evidence_subject(self):
            return Subject(self.treatment, self.treatment_route)

It then promises three things and gets three:

- `passages_field` names the StreamField that holds its passages; every
  block of that stream that is a `PassageBlock` is a reviewable unit. A
  page with no passage stream (an index page whose text is its title and
  introduction) leaves it empty: its units are its reviewed fields;
- `reviewed_fields` names, in page order, the text fields readers or search
  engines see (by default the title, the SEO title and the search
  description); each is a reviewable unit whose id is the field's name.
  Every other text field must be named in `unreviewed_fields` with the
  reason no reader sees it: the system check `evidence.E001`
  (`evidence.checks`) fails otherwise, so a new field cannot be forgotten;
- `evidence_subject()` says what the page is about (an intervention and a
  route), against which the cited evidence is judged direct or indirect;
- the gate records the medical review byline on the version going live, in
  the page's `reviewed_by` (users) and `last_reviewed_at` fields, when the
  page type has them (`evidence.passages.keeps_byline`; an index page has
  none); only such pages are re-reviewed on a schedule.

In return: `publish()` goes through the gate, a save of a page read
before it went live keeps the live version (`save()`), the editor form
shows the gate's problems on the passages (`base_form_class`), and the
gate's signals, the dashboard and the audit command find the type through
this class (`gated_page_models()`).
"""

from __future__ import annotations

from wagtail.models import get_page_models

from evidence.analysis.calibration import Subject
from evidence.gate.forms import GatedPageForm
from evidence.gate.publish import (
    carry_publish_state,
    gated_publish,
    remember_publish_state,
    save_keeping_live_content,
)
from evidence.review.copies import copy_tree_reviews


class GatedPage:
    """A page type whose passages must pass the publish gate to go live."""

    passages_field: str = ""
    reviewed_fields: tuple[str, ...] = ("title", "seo_title", "search_description")
    # Text fields no reader or search engine sees as prose, with the reason.
    unreviewed_fields: dict[str, str] = {
        "slug": "the page's address, not prose; its words repeat the title",
        "draft_title": "the admin's copy of the title (not editable)",
        "url_path": "the page's place in the tree (not editable)",
        "path": "the page tree's internal key (treebeard), never shown",
    }
    base_form_class = GatedPageForm

    def evidence_subject(self) -> Subject | None:
        """What the page is about; None when it declares nothing."""
        return None

    def publish(self, revision, *args, **kwargs):
        """Publish `revision` only if that version passes the publish gate.

        The check and the publish share one transaction with the page row
        locked (`evidence.gate.publish.gated_publish`).
        """
        return gated_publish(
            self,
            revision,
            lambda: super(GatedPage, self).publish(revision, *args, **kwargs),
        )

    # A page read while not live (or built in memory, which notes nothing)
    # and saved after it went live keeps the live version: the page
    # remembers whether its row was live when read, and the save compares
    # its publish date with the row's (`evidence.gate.publish`,
    # `save_keeping_live_content`).
    @classmethod
    def from_db(cls, db, field_names, values):
        page = super().from_db(db, field_names, values)
        remember_publish_state(page)
        return page

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using=using, fields=fields, **kwargs)
        if fields is None or "live" in fields:
            remember_publish_state(self)

    def with_content_json(self, content):
        version = super().with_content_json(content)
        carry_publish_state(self, version)
        return version

    def save(self, *args, **kwargs):
        def save(update_fields):
            return super(GatedPage, self).save(
                *args, update_fields=update_fields, **kwargs
            )

        return save_keeping_live_content(self, save, kwargs.pop("update_fields", None))

    def copy(self, *args, **kwargs):
        """Copy the page as Wagtail does, and its reviews with it
        (`evidence.review.copies`): the copy's passages are the text its
        reviewers read, and from now on the two pages are reviewed apart."""
        copy = super().copy(*args, **kwargs)
        copy_tree_reviews(self, copy)
        return copy


def gated_page_models() -> list[type]:
    """Every page type that fulfils the contract."""
    return [model for model in get_page_models() if issubclass(model, GatedPage)]


def is_gated(page) -> bool:
    """Whether `page` (of any type, specific or not) is of a gated type."""
    page_class = getattr(page, "specific_class", None) or type(page)
    return page_class is not None and issubclass(page_class, GatedPage)

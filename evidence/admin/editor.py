"""The page editor for gated page types.

Wagtail's editor answers any invalid form with "The page could not be
saved due to validation errors". When the only objection is the publish
gate's (the passages no medical reviewer has approved in this form), that
message is wrong: nothing is wrong with the page as a draft, autosave may
well have kept it already, and the writer needs to hear that the version
was *not published* and what to do next. `GatedEditView` says so; every
other invalid form gets Wagtail's message unchanged.

The editor is registered for each gated page type through a `PageViewSet`
that changes nothing else (its listing is not used for any parent page).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from evidence.passages import units_in_sentence


def refused_by_gate_only(form) -> bool:
    """True when the gate's objection is the form's only error."""
    problems = getattr(form, "publish_refused", None)
    if not problems:
        return False
    field = form.instance.passages_field
    # The gate's problems sit on the passages field, and a field unit's (the
    # title's, the standfirst's) on its own field, or on the form when the
    # field is not on it. Any other message there (an empty title) is the
    # form's own error, not the gate's.
    gate_messages: dict[str, set[str]] = {}
    for problem in problems:
        if problem.position < 1:
            name = problem.block_id if problem.block_id in form.fields else None
            key = name or NON_FIELD_ERRORS
            gate_messages.setdefault(key, set()).add(str(problem.message))
    if not form.errors:
        return False
    for name, errors in form.errors.items():
        if name == field:
            continue
        if any(str(error) not in gate_messages.get(name, ()) for error in errors):
            return False
    return not any(formset.total_error_count() for formset in form.formsets.values())


def refused_message(problems) -> str:
    # A field unit's problem is at position 0, a body block's at its own.
    units, count = units_in_sentence((p.block_id, p.position < 1) for p in problems)
    return ngettext(
        "This version was not published: %(units)s needs a medical "
        "reviewer's approval first (it is marked below). Your changes are "
        "still here: “Save draft” keeps them, and “Submit to Medical review” "
        "sends the page to the reviewers.",
        "This version was not published: %(units)s need a medical "
        "reviewer's approval first (they are marked below). Your changes are "
        "still here: “Save draft” keeps them, and “Submit to Medical review” "
        "sends the page to the reviewers.",
        count,
    ) % {"units": units}


class GatedEditView(EditView):
    def form_invalid(self, form):
        if (
            self.is_cancelling_workflow
            or self.locked_for_user
            or self.expects_json_response
            or not refused_by_gate_only(form)
        ):
            return super().form_invalid(form)
        messages.error(self.request, refused_message(form.publish_refused))
        self.errors_debug = repr(form.errors)
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())


class GatedPageViewSet(PageViewSet):
    """The views of a gated page type: Wagtail's, with `GatedEditView`."""

    edit_view_class = GatedEditView
    parent_models = ()  # keep Wagtail's own listings everywhere


def gated_page_viewsets(models) -> list[GatedPageViewSet]:
    return [
        GatedPageViewSet(name=f"gated_{model._meta.model_name}", model=model)
        for model in models
    ]

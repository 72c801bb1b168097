"""The article editor's form: the publish gate's problems shown on passages."""

from types import SimpleNamespace

from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from evidence.gate import publish_problems
from evidence.limits import control_character_problem


def gate_errors(problems) -> StreamBlockValidationError:
    """The gate's problems as StreamField errors, each on its own passage
    (problems of field units are shown on their fields, not here)."""
    by_index = {}
    for problem in problems:
        if problem.position < 1:
            continue
        by_index.setdefault(problem.position - 1, []).append(problem.message)
    return StreamBlockValidationError(
        non_block_errors=[
            ngettext(
                "This version cannot be published: %(count)d passage needs "
                "attention. Save it as a draft and fix the passage below.",
                "This version cannot be published: %(count)d passages need "
                "attention. Save it as a draft and fix the passages below.",
                len(by_index),
            )
            % {"count": len(by_index)}
        ],
        block_errors={
            index: StructBlockValidationError(non_block_errors=messages)
            for index, messages in by_index.items()
        },
    )


class GatedPageForm(WagtailAdminPageForm):
    """Refuses "Publish" (and revert-and-publish) while the gate has problems,
    and text fields (title, standfirst, SEO fields) with control characters.

    Saving a draft and submitting for review are never refused: the problems
    are what review is for.
    """

    def is_publishing(self) -> bool:
        return bool(self.data.get("action-publish"))

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if isinstance(value, str) and (problem := control_character_problem(value)):
                self.add_error(name, problem)
        # The passages stream, if the page type has one (an index page's
        # units are its reviewed fields only).
        field = self.instance.passages_field
        if self.is_publishing() and (
            not field or (field in cleaned_data and field not in self.errors)
        ):
            reviewed = getattr(self.instance, "reviewed_fields", ())
            values = {
                name: cleaned_data.get(name, getattr(self.instance, name, ""))
                for name in reviewed
            }
            version = SimpleNamespace(
                passages_field=field,
                reviewed_fields=reviewed,
                pk=self.instance.pk,
                **values,
                **({field: cleaned_data[field]} if field else {}),
            )
            if problems := publish_problems(version):
                self.publish_refused = problems
                for problem in problems:
                    if problem.position < 1 and problem.block_id in self.fields:
                        # A field unit (the title, the standfirst): on its field.
                        self.add_error(problem.block_id, problem.message)
                    elif problem.position < 1:
                        self.add_error(None, problem.message)
                if any(problem.position >= 1 for problem in problems):
                    self.add_error(field, gate_errors(problems))
        return cleaned_data

"""The editor's "What changed" fields, asked when republishing a live page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from evidence.audit.notes import (
    NOTE_MAX_LENGTH,
    REPUBLISH_KINDS,
    change_note_problems,
    needs_change_note,
)
from evidence.gate.forms import GatedPageForm
from evidence.models import ChangeNote
from evidence.vocab import ChangeKind

KIND_HELP = {
    ChangeKind.MINOR: _("typo or layout: no public entry, dates unchanged"),
    ChangeKind.UPDATE: _("new evidence or rewording: listed under Updates"),
    ChangeKind.CORRECTION: _("something was wrong: shown prominently"),
}


class ChangeNoteForm(GatedPageForm):
    """A gated page's form that asks, when republishing a live page, what
    kind of change this is and for a note readers will see."""

    change_kind = forms.ChoiceField(
        label=_("Kind of change"),
        choices=[(k.value, f"{k.label} ({KIND_HELP[k]})") for k in REPUBLISH_KINDS],
        required=False,
        widget=forms.RadioSelect,
    )
    change_note = forms.CharField(
        label=_("Note for readers"),
        help_text=_(
            "One or two sentences readers see under Updates, e.g. “Added the "
            "2024 trial; the effect on sleep is now rated low certainty.”"
        ),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        latest = getattr(page, "latest_revision_id", None)
        if latest and not self.is_bound:
            note = ChangeNote.objects.filter(revision_id=latest).first()
            if note is not None:
                self.initial.setdefault("change_kind", note.kind)
                self.initial.setdefault("change_note", note.note)

    def clean(self):
        cleaned_data = super().clean()
        if self.is_publishing() and needs_change_note(self.instance):
            problems = change_note_problems(
                cleaned_data.get("change_kind"), cleaned_data.get("change_note")
            )
            for name, message in problems.items():
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned_data


class ChangeNotePanel(MultiFieldPanel):
    """The "What changed" fields, shown once the page is live."""

    def __init__(self, children=(), **kwargs):
        kwargs.setdefault("heading", _("What changed (asked when republishing)"))
        super().__init__(
            children or [FieldPanel("change_kind"), FieldPanel("change_note")],
            **kwargs,
        )

    class BoundPanel(MultiFieldPanel.BoundPanel):
        def is_shown(self):
            return needs_change_note(self.instance) and super().is_shown()

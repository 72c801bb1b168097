"""What changed between two published versions of an article, in plain words.

Compares two versions' texts (`PublishedVersion.text`, see
`evidence.audit.records.version_text`):

- the page's reviewed fields (the title, the standfirst or introduction,
  the subject, and what search engines show: the SEO title and the search
  description), each followed by its id, the field's name: added, removed
  or reworded. A change to what only search engines show is listed too,
  and says so (`ClaimChange.search_only`): readers meet that text in search
  results, and it was reviewed like the rest;
- the claims (units whose role is "claim"): claims added, removed,
  reworded, and claims whose certainty changed. A claim is followed by its
  unit id, so moving it is no change; a claim cut and pasted (a new id, the
  very same words) is no change either.

Context passages of the body (framing, transitions) are not listed; the
audit bundle holds every unit's text for whoever wants the full diff.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evidence.passages import field_label
from evidence.vocab import Certainty

ADDED, REMOVED, REWORDED, CERTAINTY = "added", "removed", "reworded", "certainty"
FIELD = "field"
HEADINGS = {
    ADDED: _("New claim"),
    REMOVED: _("Claim removed"),
    REWORDED: _("Claim reworded"),
    CERTAINTY: _("Certainty changed"),
}
# Wagtail's promote fields: shown by search engines, not on the page.
SEARCH_FIELDS = frozenset({"seo_title", "search_description"})
# How readers are told which of them changed ("The SEO title" is the
# editors' word).
SEARCH_LABELS = {
    "seo_title": _("The title search engines show"),
    "search_description": _("The description search engines show"),
}
# The fields a version's text kept beside its units before every reviewed
# field was a unit (`version_text`).
LEGACY_FIELDS = ("title", "standfirst")


def certainty_words(value: str) -> str:
    if not value:
        return str(_("not rated"))
    try:
        return str(Certainty(value).label).lower()
    except ValueError:
        return value


@dataclass(frozen=True)
class ClaimChange:
    """One change to the claims, or to one of the page's reviewed fields
    (`kind` "field", `unit` naming it), with the words before and after."""

    kind: str
    before: str = ""
    after: str = ""
    certainty_before: str = ""
    certainty_after: str = ""
    unit: str = ""

    @property
    def search_only(self) -> bool:
        """A change to text only search engines show (not on the page)."""
        return self.kind == FIELD and self.unit in SEARCH_FIELDS

    @property
    def label(self) -> str:
        """The changed field, as readers are told: "The title"."""
        return str(SEARCH_LABELS.get(self.unit) or field_label(self.unit))

    @property
    def heading(self) -> str:
        if self.kind == FIELD:
            return str(_("%(unit)s changed") % {"unit": self.label})
        return str(HEADINGS[self.kind])

    @property
    def summary(self) -> str:
        """The change in one plain sentence."""
        if self.kind == FIELD:
            return self._field_summary()
        if self.kind == CERTAINTY:
            return str(
                _("Certainty changed from %(before)s to %(after)s.")
                % {
                    "before": certainty_words(self.certainty_before),
                    "after": certainty_words(self.certainty_after),
                }
            )
        if self.kind == ADDED:
            return str(_("A claim was added."))
        if self.kind == REMOVED:
            return str(_("A claim was removed."))
        return str(_("A claim was reworded."))

    def _field_summary(self) -> str:
        if not self.before:
            done = _("%(unit)s was added.")
        elif not self.after:
            done = _("%(unit)s was removed.")
        else:
            done = _("%(unit)s was reworded.")
        sentence = str(done % {"unit": self.label})
        if self.search_only:
            sentence += " " + str(
                _(
                    "Search engines show it in their results; it is not part "
                    "of the article itself."
                )
            )
        return sentence


def _claims(text: dict) -> dict[str, dict]:
    return {
        unit["id"]: unit
        for unit in (text or {}).get("units", ())
        if unit.get("role", "claim") == "claim"
    }


def _words(unit: dict) -> str:
    return " ".join((unit.get("text") or "").split())


def _fields(text: dict) -> tuple[list[str], dict[str, str]]:
    """The reviewed fields a version's text knows, in page order, and the
    words of each that was not empty."""
    text = text or {}
    if "reviewed_fields" not in text:  # recorded before fields were units
        return list(LEGACY_FIELDS), {
            name: " ".join(str(text.get(name) or "").split()) for name in LEGACY_FIELDS
        }
    names = list(text["reviewed_fields"])
    words = {
        unit["id"]: _words(unit)
        for unit in text.get("units", ())
        if unit.get("position") == 0 and unit.get("id") in names
    }
    return names, words


def compare_fields(old: dict, new: dict) -> list[ClaimChange]:
    """Every change to the reviewed fields both texts know, in the new
    version's page order."""
    old_names, before = _fields(old)
    new_names, after = _fields(new)
    return [
        ClaimChange(FIELD, before.get(name, ""), after.get(name, ""), unit=name)
        for name in new_names
        if name in old_names and before.get(name, "") != after.get(name, "")
    ]


def compare_texts(old: dict, new: dict) -> list[ClaimChange]:
    """What changed from text `old` to text `new`, as readers are told: the
    reviewed fields first, then the claims (`compare_claims`)."""
    return [*compare_fields(old, new), *compare_claims(old, new)]


def compare_claims(old: dict, new: dict) -> list[ClaimChange]:
    """Every change to the claims from text `old` to text `new`, in the
    order of the new version (removed claims where they stood)."""
    before, after = _claims(old), _claims(new)
    added = [u for key, u in after.items() if key not in before]
    removed = [u for key, u in before.items() if key not in after]
    # Cut and pasted: the same words under a new id are no change.
    removed_words = {_words(u) for u in removed}
    added_words = {_words(u) for u in added}
    added = [u for u in added if _words(u) not in removed_words]
    removed = [u for u in removed if _words(u) not in added_words]
    changes: list[tuple[int, ClaimChange]] = []
    for key, unit in after.items():
        position = unit.get("position", 0)
        if key in before:
            was = before[key]
            if _words(was) != _words(unit):
                changes.append(
                    (position, ClaimChange(REWORDED, _words(was), _words(unit)))
                )
            if (was.get("certainty") or "") != (unit.get("certainty") or ""):
                changes.append(
                    (
                        position,
                        ClaimChange(
                            CERTAINTY,
                            _words(was),
                            _words(unit),
                            was.get("certainty") or "",
                            unit.get("certainty") or "",
                        ),
                    )
                )
    changes += [
        (
            u.get("position", 0),
            ClaimChange(
                ADDED, after=_words(u), certainty_after=u.get("certainty") or ""
            ),
        )
        for u in added
    ]
    changes += [
        (
            u.get("position", 0),
            ClaimChange(
                REMOVED, before=_words(u), certainty_before=u.get("certainty") or ""
            ),
        )
        for u in removed
    ]
    changes.sort(key=lambda pair: pair[0])
    return [change for _position, change in changes]

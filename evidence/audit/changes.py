"""What changed between two published versions of an article, in plain words.

Compares the claims (units whose role is "claim") of two versions' texts
(`PublishedVersion.text`): claims added, removed, reworded, and claims
whose certainty changed. A claim is followed by its unit id, so moving it
is no change; a claim cut and pasted (a new id, the very same words) is no
change either.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evidence.vocab import Certainty

ADDED, REMOVED, REWORDED, CERTAINTY = "added", "removed", "reworded", "certainty"
HEADINGS = {
    ADDED: _("New claim"),
    REMOVED: _("Claim removed"),
    REWORDED: _("Claim reworded"),
    CERTAINTY: _("Certainty changed"),
}


def certainty_words(value: str) -> str:
    if not value:
        return str(_("not rated"))
    try:
        return str(Certainty(value).label).lower()
    except ValueError:
        return value


@dataclass(frozen=True)
class ClaimChange:
    """One change to the claims, with the words before and after."""

    kind: str
    before: str = ""
    after: str = ""
    certainty_before: str = ""
    certainty_after: str = ""

    @property
    def heading(self) -> str:
        return str(HEADINGS[self.kind])

    @property
    def summary(self) -> str:
        """The change in one plain sentence."""
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


def _claims(text: dict) -> dict[str, dict]:
    return {
        unit["id"]: unit
        for unit in (text or {}).get("units", ())
        if unit.get("role", "claim") == "claim"
    }


def _words(unit: dict) -> str:
    return " ".join((unit.get("text") or "").split())


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

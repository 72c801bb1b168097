"""Grades: a clinical judgement, confirmed by a medical reviewer.

A grade guessed on import, or set by anyone else, awaits a medical
reviewer's confirmation ("Confirm grade" in the admin, or changing the grade
in the Source form as a reviewer).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from evidence.models import Source
from evidence.roles import is_medical_reviewer


def grade_confirmation(user) -> dict:
    """The confirmation fields for a grade that `user` just set or changed.

    A grade is a clinical judgement: set by a medical reviewer, it counts as
    confirmed by them; set by anyone else, it awaits a reviewer's
    confirmation.
    """
    if is_medical_reviewer(user):
        return {"grade_confirmed_by": user, "grade_confirmed_at": timezone.now()}
    return {"grade_confirmed_by": None, "grade_confirmed_at": None}


def confirm_grade(source: Source, user) -> Source:
    """Record that a medical reviewer confirmed the Source's grade now."""
    if not is_medical_reviewer(user):
        raise ValidationError(
            _("Only a medical reviewer can confirm a grade; ask one to check it.")
        )
    if not source.grade:
        raise ValidationError(
            _("This source has no grade yet: set one in the form, then confirm it.")
        )
    source.grade_confirmed_by = user
    source.grade_confirmed_at = timezone.now()
    source.save(update_fields=["grade_confirmed_by", "grade_confirmed_at"])
    log(
        instance=source,
        action="evidence.confirm_grade",
        user=user,
        data={"grade": source.grade},
    )
    return source

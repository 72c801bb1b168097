"""What input may hold: the checks every way in shares.

The limits themselves are settings (`NADSITE_…`, defaults in
nadsite/settings.py, listed in docs/operations.md with what a user sees when
one is reached); this module reads them and says, in words for the person who
sent the input, what is wrong. Pure Python apart from settings: no models.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls other than tab, newline and carriage return; DEL and the C1
# controls; lone surrogates (valid as a JSON escape, but not text: no
# database or encoder takes them). NUL is the one PostgreSQL refuses outright.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def first_control_character_problem(value) -> str:
    """The control-character problem of the first string in `value` (text,
    or lists and dicts of it, as a block stores them) that has one, or ""."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if problem := control_character_problem(item):
                return problem
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
    return ""


def control_character_problem(text: str) -> str:
    """Why `text` may not be stored (a control character in it), or ""."""
    match = _CONTROL.search(text)
    if match is None:
        return ""
    return _(
        "Remove the invisible control character U+%(code)04X (character "
        "%(position)d): text may not contain control characters."
    ) % {"code": ord(match.group(0)), "position": match.start() + 1}


def without_control_characters(text: str) -> str:
    """`text` with its control characters removed (for records from outside
    services and files, which a person cannot correct before they arrive)."""
    return _CONTROL.sub("", text)


def refuse_control_characters(value) -> None:
    """A Django validator: text without control characters."""
    if isinstance(value, str) and (problem := control_character_problem(value)):
        raise ValidationError(problem, code="control_character")


def passage_length_problem(text: str) -> str:
    """Why a passage reading `text` is too long to save, or "".

    NADSITE_PASSAGE_MAX_CHARS bounds what the claim detector, the review
    screen and the publish gate read in one passage.
    """
    limit = settings.NADSITE_PASSAGE_MAX_CHARS
    if len(text) <= limit:
        return ""
    return _(
        "This passage is %(length)s characters long; a passage may have at "
        "most %(limit)s. Split it into shorter passages."
    ) % {"length": f"{len(text):,}", "limit": f"{limit:,}"}


def too_deep_message() -> str:
    return _("The JSON is nested more than %(limit)d levels deep.") % {
        "limit": settings.NADSITE_JSON_MAX_DEPTH
    }


def json_problem(data) -> str:
    """Why parsed JSON may not be used, or "".

    Walks the containers without recursion: nesting deeper than
    NADSITE_JSON_MAX_DEPTH is refused, and so is a string holding a lone
    surrogate ("\\ud800" is valid JSON, but no text).
    """
    limit = settings.NADSITE_JSON_MAX_DEPTH
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if re.search("[\ud800-\udfff]", value):
                return _(
                    "The JSON holds a \\u escape of a lone surrogate (U+D800 "
                    "to U+DFFF), which is not a character."
                )
            continue
        if isinstance(value, dict):
            items = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            items = value
        else:
            continue
        if depth > limit:
            return too_deep_message()
        stack.extend((item, depth + 1) for item in items)
    return ""


def loads(text: str):
    """`json.loads` within the limits above; ValueError saying why not."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(too_deep_message()) from None
    if problem := json_problem(data):
        raise ValueError(problem)
    return data

"""What every part of the REST API shares: paging, roles, parsing, errors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from evidence import limits

MAX_DB_ID = 2**63 - 1


class Pagination(PageNumberPagination):
    """Twenty items a page; ?page_size= up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def has_admin_access(user) -> bool:
    """Staff, in the API's sense: anyone allowed into the editorial admin."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm("wagtailadmin.access_admin")
    )


class IsStaff(permissions.BasePermission):
    message = _(
        "Only members of the editorial team (writers, medical reviewers, "
        "editors) may do this. Sign in with an account that can use the admin."
    )

    def has_permission(self, request, view):
        return has_admin_access(request.user)


def parse_id(value) -> int:
    """A database id from the URL, or 404: never a database overflow error."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exceptions.NotFound() from None
    if not 0 < number <= MAX_DB_ID:
        raise exceptions.NotFound()
    return number


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser within `evidence.limits.json_problem`'s limits.

    Python's decoder would otherwise recurse until the interpreter's limit
    (a RecursionError, a 500) on a body of a thousand brackets, and code
    walking the data afterwards could do the same.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(limits.too_deep_message()) from None
        if problem := limits.json_problem(data):
            raise exceptions.ParseError(problem)
        return data


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    """DRF's error bodies, plus Django's own exceptions turned into JSON.

    A Django ValidationError raised by a model or a domain function becomes a
    400 with its messages keyed by field, so callers always get something
    they can act on.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(message) for message in messages]
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"detail": [str(message) for message in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    return drf_exception_handler(exc, context)


def only_api_v1(endpoints, **kwargs):
    """drf-spectacular hook: the schema describes /api/v1/ only, not the
    Wagtail admin's internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]

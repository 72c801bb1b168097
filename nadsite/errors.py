"""Errors at the door: over-size requests, and JSON for every API error.

`RequestLimitsMiddleware` refuses a request whose body is larger than the
site accepts (413) before anything reads it, and gives every error answered
under /api/ (404 and 405 from Django, 413, the 500 page) a JSON body, so an
API client never has to read an HTML page. `bad_request` is the site's 400
handler: Django reports a body over DATA_UPLOAD_MAX_MEMORY_SIZE as a
400, which is a 413.
"""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
_FORM_TYPES = ("multipart/form-data",)


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.3g} MB"


def body_limit(request) -> int | None:
    """The most bytes this request's body may have (None: no limit)."""
    limit = settings.NADSITE_MAX_REQUEST_BYTES
    if not request.content_type.startswith(_FORM_TYPES):
        # JSON and other bodies are read whole into memory.
        form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if form_limit is not None:
            limit = min(limit, form_limit) if limit else form_limit
    return limit or None


def too_large(request, limit: int | None = None):
    """The 413 answer: JSON under /api/, a short page elsewhere."""
    limit = limit if limit is not None else body_limit(request)
    detail = (
        _("The request body is larger than this site accepts (%(limit)s).")
        % {"limit": _megabytes(limit)}
        if limit
        else _("The request body is larger than this site accepts.")
    )
    if is_api(request):
        return JsonResponse({"detail": detail}, status=413)
    page = TemplateResponse(request, "413.html", {"detail": detail}, status=413)
    return page.render()


def bad_request(request, exception, template_name="400.html"):
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return defaults.bad_request(request, exception, template_name)


def _json_detail(request, status: int) -> str:
    if status == 404:
        return _("There is no API endpoint at this address; see /api/docs/.")
    if status == 405:
        return _("The method %(method)s is not allowed here.") % {
            "method": request.method
        }
    if status >= 500:
        return _("The server could not answer because of an error on its side.")
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return too_large(request, limit)
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse(
                {"detail": _json_detail(request, response.status_code)},
                status=response.status_code,
            )
            if allow := response.get("Allow"):
                json_response["Allow"] = allow
            return json_response
        return response

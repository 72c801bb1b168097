"""The API's own pages: its index, tokens, the docs page and the JSON 404.

The endpoints themselves live with their apps (`articles.api`,
`evidence.api`); this module ties them together under /api/.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from evidence.api.common import JSONParser


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    parser_classes = [JSONParser, FormParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        summary="Get an API token",
        description=(
            "Send a username and password; use the token as "
            "`Authorization: Token <token>` on later requests."
        ),
        request=TokenInputSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_("Wrong username or password.")),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class ApiDocsView(TemplateView):
    """A self-contained page describing every endpoint, from the schema.

    Swagger UI and Redoc load their scripts from a CDN; this page needs
    nothing but the server, so it works offline and without JavaScript.
    """

    template_name = "api_docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schema = SchemaGenerator().get_schema(request=None, public=True)
        operations = []
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": [
                            {
                                "name": parameter["name"],
                                "in": parameter["in"],
                                "required": parameter.get("required", False),
                                "description": parameter.get("description", ""),
                            }
                            for parameter in operation.get("parameters", [])
                        ],
                        "responses": sorted(operation.get("responses", {})),
                        "tag": (operation.get("tags") or ["api"])[0],
                    }
                )
        context["info"] = schema.get("info", {})
        context["operations"] = operations
        return context


class RootView(APIView):
    """What the API offers, with links."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                "articles": request.build_absolute_uri(reverse("api:article-list")),
                "sources": request.build_absolute_uri(reverse("api:source-list")),
                "claims_detect": request.build_absolute_uri(
                    reverse("api:claims-detect")
                ),
                "auth_token": request.build_absolute_uri(reverse("api:auth-token")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
            },
            status=status.HTTP_200_OK,
        )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, never the site's HTML page."""
    return JsonResponse(
        {"detail": _("There is no API endpoint at this address; see /api/docs/.")},
        status=404,
    )

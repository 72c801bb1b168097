from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from articles import views as article_views
from evidence import views as evidence_views
from nadsite.api import ApiDocsView, ObtainTokenView, RootView, api_not_found

handler400 = "nadsite.errors.bad_request"

api_v1 = [
    path("", RootView.as_view(), name="root"),
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("", include("articles.api.urls")),
    path("", include("evidence.api.urls")),
]

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(), name="api-docs"),
    re_path(r"^api/(?:.*/)?$", api_not_found),
    path("robots.txt", article_views.robots_txt, name="robots_txt"),
    path("favicon.ico", article_views.favicon, name="favicon"),
    path(
        "reviewers/<int:user_id>/",
        evidence_views.reviewer_profile,
        name="reviewer_profile",
    ),
    path("search/", article_views.search, name="search"),
]

if settings.NADSITE_BENCH:
    urlpatterns += [path("_bench/minimal/", article_views.bench_minimal)]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail routes every other request to its pages (wagtail.views.serve).
urlpatterns += [path("", include(wagtail_urls))]

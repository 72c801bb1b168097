"""Queries that decide what readers may see."""

from articles.models import ArticlePage


def public_articles():
    """Articles a reader may see: live and not behind a privacy restriction."""
    return ArticlePage.objects.live().public().order_by("-first_published_at", "-pk")

"""Signal receivers that keep the publish gate and authorship in step."""

from django.apps import apps
from django.db.models.signals import post_save, pre_save
from wagtail.models import Revision

from evidence.gate.publish import guard_live_save
from evidence.review.decisions import record_authorship

GATED_PAGE_MODEL = "articles.ArticlePage"


def _is_article_revision(revision) -> bool:
    ArticlePage = apps.get_model(GATED_PAGE_MODEL)
    model = revision.content_type.model_class() if revision.content_type_id else None
    return model is not None and issubclass(model, ArticlePage)


def revision_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "content" not in update_fields):
        return
    if not _is_article_revision(instance):
        return
    record_authorship(instance)


def article_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata: not covered, see README "Publish gate"
        return
    guard_live_save(instance, update_fields=update_fields)


def connect():
    ArticlePage = apps.get_model(GATED_PAGE_MODEL)

    post_save.connect(
        revision_saved, sender=Revision, dispatch_uid="evidence.revision_saved"
    )
    pre_save.connect(
        article_saving, sender=ArticlePage, dispatch_uid="evidence.article_saving"
    )

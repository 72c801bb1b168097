"""Signal receivers that keep the publish gate and authorship in step.

`connect(models)` is given the gated page types (`evidence.page`): their
saves go through the `pre_save` guard (which writes the publish snapshot of
a version going live), and their revisions record who wrote each passage.
A plain `Page` object of a gated type (`Page.objects.get(...)`) notes
whether its row was live when built and is saved through the same promise
(`guard_plain_page_save`): a subclass cannot see those saves.
After `migrate`, live pages that went live before snapshots were kept get
theirs (`record_missing_snapshots`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import (
    m2m_changed,
    post_init,
    post_migrate,
    post_save,
    pre_save,
)
from wagtail.models import Page, Revision

from evidence.gate.publish import (
    guard_live_save,
    guard_plain_page_save,
    record_missing_snapshots,
    record_pending_snapshot,
    remember_publish_state,
)
from evidence.gate.workflow import refuse_non_reviewer_groups
from evidence.review.decisions import record_authorship
from evidence.review.notes import resolve_notes_after_commit

_gated: tuple[type, ...] = ()


def _revision_model(revision):
    if not revision.content_type_id:
        return None
    return ContentType.objects.get_for_id(revision.content_type_id).model_class()


def revision_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "content" not in update_fields):
        return
    model = _revision_model(instance)
    if model is None or not issubclass(model, _gated):
        return
    record_authorship(instance)
    resolve_notes_after_commit(instance)


def gated_page_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata: not covered, see evidence.gate
        return
    guard_live_save(instance, update_fields=update_fields)


def plain_page_built(sender, instance, **kwargs):
    # Read from the database (`from_db` builds through __init__) or built in
    # memory: either way the object holds the row as it had it then.
    remember_publish_state(instance)


def plain_page_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    model = instance.specific_class
    if model is not None and issubclass(model, _gated):
        guard_plain_page_save(instance, model, update_fields=update_fields)


def gated_page_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    record_pending_snapshot(instance)


def migrated(sender, using="default", **kwargs):
    from django.db import connections

    from evidence.models import PublishSnapshot

    tables = connections[using].introspection.table_names()
    if PublishSnapshot._meta.db_table in tables:  # not when migrating back
        record_missing_snapshots(_gated)


def review_task_groups_changing(
    sender, instance, action, reverse, model, pk_set, **kwargs
):
    """Only groups holding the medical reviewer role join a review task,
    whichever side of the relation the change is made from."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # group.<tasks>.add(task): the group is `instance`
        refuse_non_reviewer_groups([instance.pk])
    else:
        refuse_non_reviewer_groups(pk_set)


def connect(models, app_config=None) -> None:
    """Gate the saves of these page types and record their authorship."""
    global _gated
    _gated = tuple(models)
    post_save.connect(
        revision_saved, sender=Revision, dispatch_uid="evidence.revision_saved"
    )
    from evidence.models import MedicalReviewTask

    m2m_changed.connect(
        review_task_groups_changing,
        sender=MedicalReviewTask.groups.through,
        dispatch_uid="evidence.review_task_groups_changing",
    )
    post_init.connect(
        plain_page_built, sender=Page, dispatch_uid="evidence.plain_page_built"
    )
    pre_save.connect(
        plain_page_saving, sender=Page, dispatch_uid="evidence.plain_page_saving"
    )
    for model in _gated:
        pre_save.connect(
            gated_page_saving,
            sender=model,
            dispatch_uid=f"evidence.gated_page_saving.{model._meta.label_lower}",
        )
        post_save.connect(
            gated_page_saved,
            sender=model,
            dispatch_uid=f"evidence.gated_page_saved.{model._meta.label_lower}",
        )
    if app_config is not None:
        post_migrate.connect(
            migrated, sender=app_config, dispatch_uid="evidence.snapshots_migrated"
        )

"""Editors manage the workflows and their tasks.

The review step itself stays with the Medical reviewers; editors may change
which workflow applies where, and add or edit workflow tasks.
"""

from django.db import migrations

CODENAMES = [
    ("wagtailcore", "workflow", ["add", "change", "delete"]),
    ("wagtailcore", "task", ["add", "change", "delete"]),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.get(name="Editors")
    for app_label, model, actions in CODENAMES:
        for action in actions:
            editors.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    codename=f"{action}_{model}",
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    for app_label, model, actions in CODENAMES:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("evidence", "0004_medical_review_workflow")]

    operations = [migrations.RunPython(grant, revoke)]

"""Who manages living evidence.

Medical reviewers and editors keep saved searches (on Sources; searches on
one claim are added from the review screen). Editors set the site's review
interval (Settings → Review schedule).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Medical reviewers": [
        "add_savedsearch",
        "change_savedsearch",
        "delete_savedsearch",
        "view_savedsearch",
    ],
    "Editors": [
        "add_savedsearch",
        "change_savedsearch",
        "delete_savedsearch",
        "view_savedsearch",
        "change_reviewschedulesettings",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("evidence")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="evidence", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="evidence", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("evidence", "0006_living_evidence")]

    operations = [migrations.RunPython(grant, revoke)]

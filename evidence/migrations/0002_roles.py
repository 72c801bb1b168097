"""The editorial roles: Writers, Medical reviewers and Editors.

Writers draft and submit; medical reviewers review claims and keep the source
library; editors publish, unpublish and schedule. Nobody bypasses the publish
gate, whatever their group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PAGE_PERMISSIONS = {
    "Writers": ["add_page", "change_page"],
    "Medical reviewers": [],
    "Editors": ["add_page", "change_page", "publish_page", "lock_page",
                "unlock_page", "bulk_delete_page"],
}
MODEL_PERMISSIONS = {
    "Writers": [("evidence", "add_source"), ("evidence", "view_source"),
                ("articles", "view_author")],
    "Medical reviewers": [("evidence", "add_source"), ("evidence", "change_source"),
                          ("evidence", "view_source"), ("articles", "view_author")],
    "Editors": [("evidence", "add_source"), ("evidence", "change_source"),
                ("evidence", "delete_source"), ("evidence", "view_source"),
                ("articles", "add_author"), ("articles", "change_author"),
                ("articles", "view_author")],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name, page_codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, codename in MODEL_PERMISSIONS[name]:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        for codename in page_codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Writers", "Medical reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("articles", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

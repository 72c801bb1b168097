"""The medical reviewer role becomes one permission, `evidence.review_passages`.

Until now a medical reviewer was whoever belonged to a group named "Medical
reviewers". The role is now a Django permission checked with `has_perm`
(`evidence.roles`); the "Medical reviewers" group is given it, so everyone
who reviewed before still does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("evidence")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="evidence", codename="review_passages"
    )
    for group in Group.objects.filter(name="Medical reviewers"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="evidence", codename="review_passages"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("evidence", "0012_audit_trail"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="reviewdecision",
            options={
                "ordering": ["created_at", "pk"],
                "permissions": [
                    ("review_passages", "Can review passages as a medical reviewer")
                ],
                "verbose_name": "review decision",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]

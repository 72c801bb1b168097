"""The "Editorial sign-off" step: the default workflow becomes "Medical
review" (medical reviewers, passage by passage) then "Editorial sign-off"
(editors), and only the sign-off publishes.

Creates the sign-off task for the Editors group and appends it to the
"Medical review" workflow (the one assigned to the root of the page tree),
after its medical review step. Pages already in that workflow finish the
step they are on, then go to the sign-off.
"""

import django.db.models.deletion
from django.db import migrations, models

import evidence.models.workflow

WORKFLOW = "Medical review"
SIGN_OFF = "Editorial sign-off"


def add_sign_off(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    EditorialSignOffTask = apps.get_model("evidence", "EditorialSignOffTask")

    editors, _ = Group.objects.get_or_create(name="Editors")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="evidence", model="editorialsignofftask"
    )
    task = EditorialSignOffTask.objects.filter(name=SIGN_OFF).first()
    if task is None:
        task = EditorialSignOffTask.objects.create(
            name=SIGN_OFF, content_type=content_type, active=True
        )
    task.groups.add(editors)
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        return
    steps = WorkflowTask.objects.filter(workflow=workflow)
    if not steps.filter(task_id=task.pk).exists():
        last = steps.order_by("-sort_order").first()
        WorkflowTask.objects.create(
            workflow=workflow,
            task_id=task.pk,
            sort_order=(last.sort_order + 1) if last else 0,
        )


def remove_sign_off(apps, schema_editor):
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    EditorialSignOffTask = apps.get_model("evidence", "EditorialSignOffTask")
    tasks = EditorialSignOffTask.objects.filter(name=SIGN_OFF)
    WorkflowTask.objects.filter(task_id__in=tasks.values("pk")).delete()
    tasks.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("evidence", "0015_copies_keep_their_reviews"),
    ]

    operations = [
        migrations.CreateModel(
            name="EditorialSignOffTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        help_text=(
                            "Pages at this step are signed off and published by "
                            "these groups. Only groups whose members may publish "
                            "can be chosen."
                        ),
                        limit_choices_to=evidence.models.workflow.sign_off_groups,
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
            ],
            options={
                "verbose_name": "Editorial sign-off",
                "verbose_name_plural": "Editorial sign-offs",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(add_sign_off, remove_sign_off),
    ]

"""The "Medical review" workflow: the default for every page, articles included.

Creates the "Medical review" task for the Medical reviewers group and a
workflow of that one task, and assigns it to the root of the page tree in
place of Wagtail's "Moderators approval", so every article inherits it.
"""

from django.db import migrations

NAME = "Medical review"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    MedicalReviewTask = apps.get_model("evidence", "MedicalReviewTask")

    reviewers, _ = Group.objects.get_or_create(name="Medical reviewers")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="evidence", model="medicalreviewtask"
    )
    task = MedicalReviewTask.objects.filter(name=NAME).first()
    if task is None:
        task = MedicalReviewTask.objects.create(
            name=NAME, content_type=content_type, active=True
        )
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(
            page=root, defaults={"workflow": workflow}
        )


def remove_workflow(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    MedicalReviewTask = apps.get_model("evidence", "MedicalReviewTask")

    root = Page.objects.filter(depth=1).order_by("path").first()
    moderators = Workflow.objects.filter(name="Moderators approval").first()
    if root is not None and moderators is not None:
        WorkflowPage.objects.update_or_create(
            page=root, defaults={"workflow": moderators}
        )
    Workflow.objects.filter(name=NAME).delete()
    MedicalReviewTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0003_reviews"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="medicalreviewtask",
            options={
                "verbose_name": "Medical review",
                "verbose_name_plural": "Medical reviews",
            },
        ),
        migrations.RunPython(create_workflow, remove_workflow),
    ]

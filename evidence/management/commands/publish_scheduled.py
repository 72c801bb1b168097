"""Wagtail's `publish_scheduled`, asking the publish gate first.

A scheduled article revision that may not go live is taken off the
schedule, the refusal is written to the page's history and its owner is told
by email; the revisions queued after it are published as usual. Wagtail's
own command would stop at the first refusal, so nothing after it would ever
be published.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.management.commands import publish_scheduled
from wagtail.models import Revision

from evidence.gate import PUBLISH_REFUSED_LOG_ACTION, PublishBlocked


class Command(publish_scheduled.Command):
    help = (
        "Publish scheduled revisions that pass the publish gate, unschedule "
        "the rest (telling their owners), and unpublish expired pages."
    )

    def handle(self, *args, **options):
        if not options["dryrun"]:
            self.publish_due_revisions()
        super().handle(*args, **options)

    def publish_due_revisions(self):
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
            "approved_go_live_at", "pk"
        )
        for revision in list(due):
            try:
                revision.publish(log_action="wagtail.publish.scheduled")
            except ValidationError as error:
                self.refuse(revision, error)

    def refuse(self, revision, error):
        """Take the revision off the schedule and tell its owner why."""
        problems = getattr(error, "problems", [])
        reasons = [p.message for p in problems] or error.messages
        with transaction.atomic():
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            obj = revision.content_object
            log(
                instance=obj,
                action=PUBLISH_REFUSED_LOG_ACTION,
                revision=revision,
                data={
                    "problems": [p.as_dict() for p in problems]
                    or [{"message": m} for m in reasons]
                },
            )
        title = str(revision.object_str or obj)
        self.stderr.write(
            _("Unscheduled “%(title)s” (revision %(revision)s): %(reasons)s")
            % {"title": title, "revision": revision.pk, "reasons": " ".join(reasons)}
        )
        self.notify(
            revision, obj, title, reasons, blocked=isinstance(error, PublishBlocked)
        )

    def notify(self, revision, obj, title, reasons, blocked):
        recipients = {
            user.email
            for user in (revision.user, getattr(obj, "owner", None))
            if user is not None and user.email and user.is_active
        }
        if not recipients:
            return
        subject = _("Not published: “%(title)s”") % {"title": title}
        body = "\n\n".join(
            [
                _(
                    "The version of “%(title)s” scheduled to go live was not "
                    "published and has been taken off the schedule."
                )
                % {"title": title},
                _("What needs fixing before it can be published:")
                if blocked
                else _("Why:"),
                "\n".join(f"- {reason}" for reason in reasons),
                _("Fix these, have the passages reviewed, and schedule it again."),
            ]
        )
        send_mail(
            subject,
            body,
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            sorted(recipients),
            fail_silently=True,
        )

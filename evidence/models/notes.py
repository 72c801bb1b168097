"""A reviewer's "request changes" note, as a comment the writer sees in the
editor (`evidence.review.notes`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PassageNote(models.Model):
    """Links a "request changes" decision to the Wagtail comment made from
    it on the passage, and remembers the passage's fingerprint then: when
    the passage no longer has that fingerprint, the writer has changed it
    and the comment is resolved."""

    decision = models.OneToOneField(
        "evidence.ReviewDecision", on_delete=models.CASCADE, related_name="+"
    )
    # No reverse accessor on Comment: Wagtail's Comment.save() lists every
    # field of the model it can see, and would trip over one.
    comment = models.OneToOneField(
        "wagtailcore.Comment", on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("passage note")
        indexes = [models.Index(fields=["page", "block_id"])]

    def __str__(self):
        return f"{self.block_id}: {self.comment.text[:60]}"

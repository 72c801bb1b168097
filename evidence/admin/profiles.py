"""A medical reviewer's own profile: "My reviewer profile" in the admin menu.

The reviewer writes how they are credited (name, credentials, specialty) and
their conflict-of-interest statement with the date it was declared; readers
see it on the reviewer's public page, which the article byline links to.
Only superusers manage other people's profiles (the ReviewerProfile snippet).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from evidence.models import ReviewerProfile
from evidence.roles import is_medical_reviewer, reviewer_name

app_name = "evidence_reviewer_profile"


class ReviewerProfileForm(forms.ModelForm):
    class Meta:
        model = ReviewerProfile
        fields = [
            "display_name",
            "credentials",
            "specialty",
            "conflict_of_interest",
            "conflict_of_interest_declared_on",
        ]
        widgets = {
            "conflict_of_interest": forms.Textarea(attrs={"rows": 4}),
            "conflict_of_interest_declared_on": AdminDateInput,
        }
        help_texts = {
            "display_name": gettext_lazy(
                'As readers see it in the byline: "Dr Rhea Okafor".'
            ),
            "conflict_of_interest_declared_on": gettext_lazy(
                "Left empty, today's date is recorded when you save a statement."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflict_of_interest"].required = True
        self.fields["conflict_of_interest"].help_text = _(
            'Readers see it on your profile page. Write "None declared" if '
            "you have nothing to declare."
        )

    def clean(self):
        cleaned = super().clean()
        statement = cleaned.get("conflict_of_interest", "")
        declared = cleaned.get("conflict_of_interest_declared_on")
        changed = "conflict_of_interest" in self.changed_data
        if statement and (declared is None or (changed and not self._date_changed)):
            # A new statement is declared today unless the reviewer says when.
            cleaned["conflict_of_interest_declared_on"] = timezone.localdate()
        if declared and declared > timezone.localdate():
            self.add_error(
                "conflict_of_interest_declared_on",
                _("A statement cannot be declared in the future."),
            )
        return cleaned

    @property
    def _date_changed(self) -> bool:
        return "conflict_of_interest_declared_on" in self.changed_data


class MyReviewerProfileView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("My reviewer profile")
    header_icon = "user"
    template_name = "evidence/profiles/my_profile.html"
    form_class = ReviewerProfileForm

    def dispatch(self, request, *args, **kwargs):
        if not is_medical_reviewer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        profile = ReviewerProfile.objects.filter(user=user).first()
        kwargs["instance"] = profile or ReviewerProfile(
            user=user, display_name=reviewer_name(user)
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["public_url"] = reverse("reviewer_profile", args=[self.request.user.pk])
        context["is_new"] = context["form"].instance.pk is None
        return context

    def form_valid(self, form):
        created = form.instance.pk is None
        form.instance.user = self.request.user
        form.save()
        messages.success(
            self.request,
            _("Your reviewer profile is created: readers see it from your byline.")
            if created
            else _("Your reviewer profile is saved."),
        )
        return redirect("evidence_reviewer_profile:mine")


class MyReviewerProfileMenuItem(MenuItem):
    def is_shown(self, request):
        return is_medical_reviewer(request.user)


def menu_item() -> MenuItem:
    return MyReviewerProfileMenuItem(
        _("My reviewer profile"),
        reverse("evidence_reviewer_profile:mine"),
        icon_name="user",
        order=950,
    )


urlpatterns = [path("", MyReviewerProfileView.as_view(), name="mine")]

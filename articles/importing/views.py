"""The admin page for importing an article from a document.

A writer uploads a Markdown, plain-text or Word file and picks the article
index it belongs under; the result is a draft they own, and the page shows
what was found: passages, detected claims, and the studies named in the text
that did or did not match the Source library.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from articles.importing.article import ImportRefused, import_article
from articles.importing.documents import DocumentError, too_large_message
from articles.models import ArticleIndexPage


def indexes_for(user):
    """The article indexes this user may add an article under."""
    return [
        index
        for index in ArticleIndexPage.objects.order_by("path")
        if index.permissions_for_user(user).can_add_subpage()
    ]


class ImportArticleForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,.docx"}),
    )
    parent = forms.ModelChoiceField(
        label=_("Put the draft under"),
        queryset=ArticleIndexPage.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, indexes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "A Markdown (.md), plain-text (.txt) or Word (.docx) file, up to "
            "%(size)s. Its first heading or line becomes the title."
        ) % {"size": f"{settings.NADSITE_IMPORT_MAX_BYTES / 2**20:.3g} MB"}
        self.fields["parent"].queryset = ArticleIndexPage.objects.filter(
            pk__in=[index.pk for index in indexes]
        ).order_by("path")

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > settings.NADSITE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return document


class ImportArticleView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportArticleForm
    template_name = "articles/admin/import_article.html"
    page_title = _("Import an article")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.indexes = indexes_for(request.user)
        if not self.indexes:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indexes": self.indexes}

    def form_valid(self, form):
        upload = form.cleaned_data["document"]
        try:
            report = import_article(
                upload.name,
                upload.read(),
                form.cleaned_data["parent"],
                owner=self.request.user,
            )
        except (DocumentError, ImportRefused) as error:
            form.add_error("document", str(error))
            return self.form_invalid(form)
        context = self.get_context_data(
            form=self.get_form_class()(indexes=self.indexes),
            report=report,
            edit_url=reverse("wagtailadmin_pages:edit", args=[report.page.pk]),
        )
        return TemplateResponse(self.request, self.template_name, context)

"""Writing articles through the API: Wagtail's actions and the editor's form.

The API writes pages through Wagtail's actions (`CreatePageAction`,
`EditPageAction`) with the form the page editor uses (the edit handler's
form class, `GatedPageForm`), so a draft saved through the API is validated
exactly as the editor validates it (the same fields, the same `clean()`, the
same block validation with required fields deferred for drafts, the same
messages), and is locked, logged and signalled as an edit in the editor is.
The form is narrowed to the fields the request sends, as a partial edit in
the admin touches only the fields it submits; the JSON is turned into the
editor's POST data by Wagtail's own `build_form_data`.
"""

from functools import lru_cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from wagtail.actions import EditPageAction
from wagtail.admin.panels import get_form_for_model
from wagtail.admin.rich_text.converters.editor_html import WhitelistRule
from wagtail.api.v3.form_data import build_form_data
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.whitelist import allow_without_attributes

from articles.api.body import BodyError, block_errors
from articles.models import ArticlePage

WRITABLE_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "subject_intervention",
    "subject_route",
    "body",
)


def register_html_rules(features):
    """Superscript and subscript in rich text sent as HTML.

    Wagtail teaches them to the admin's editor (Draftail) only, so the HTML
    sanitiser `build_form_data` runs rich text through (the "editorhtml"
    rules) would drop the <sup> and <sub> that the editor itself allows.
    """
    for feature, element in (("superscript", "sup"), ("subscript", "sub")):
        features.register_converter_rule(
            "editorhtml", feature, [WhitelistRule(element, allow_without_attributes)]
        )


class EditArticleAction(EditPageAction):
    """`EditPageAction`, allowed for whoever the admin's editor allows.

    The editor lets a page's reviewers edit it while it waits on their
    workflow task (`PagePermissionTester.can_edit`); `EditPageAction` also
    asks for the model-wide "change" permission, which medical reviewers do
    not have. Locks are still checked by the action.
    """

    def user_has_permission(self):
        return self.instance.permissions_for_user(self.user).can_edit()


@lru_cache
def article_form_class(field_names: frozenset):
    """The editor's form class for ArticlePage, with only `field_names`."""
    edit_handler = ArticlePage.get_edit_handler()
    options = edit_handler.get_form_options()
    options["fields"] = [name for name in options["fields"] if name in field_names]
    options["formsets"] = {}
    options["defer_required_on_fields"] = [
        name
        for name in options.get("defer_required_on_fields", [])
        if name in field_names
    ]
    return get_form_for_model(
        ArticlePage,
        form_class=edit_handler.base_form_class or ArticlePage.base_form_class,
        **options,
    )


def article_form(fields: dict, *, instance, parent, user):
    """The editor's form for `instance` under `parent`, bound to `fields`
    (API field names and JSON values; the body as `articles.api.body`
    checked it)."""
    form_class = article_form_class(frozenset(fields))
    data = build_form_data(form_class, fields)
    return form_class(data=data, instance=instance, parent_page=parent, for_user=user)


def form_errors(form) -> dict:
    """The form's errors as the API reports them: messages keyed by field;
    the body's as rows naming the block's index and the field inside it."""
    return _by_field(form.errors.as_data())


def publish_errors(version) -> dict:
    """What the editor's Publish would refuse in `version` before the gate
    is asked: required fields left empty in the draft, blocks that are
    incomplete (validation a draft defers). Empty when there is none.

    The model's fields are checked by `full_clean()`, as Wagtail's actions do
    when they publish without a form; the body by its StreamBlock, as the
    editor's form field does (a model does not validate blocks)."""
    errors = {}
    try:
        version.full_clean()
    except ValidationError as error:
        errors.update(getattr(error, "error_dict", {NON_FIELD_ERRORS: [error]}))
    try:
        ArticlePage.body.field.stream_block.clean(version.body)
    except ValidationError as error:
        errors["body"] = [error]
    return _by_field(errors)


def _by_field(errors_by_name) -> dict:
    errors = {}
    for name, field_errors in errors_by_name.items():
        if name == "body":
            rows: list[BodyError] = []
            for error in field_errors:
                if isinstance(error, StreamBlockValidationError):
                    rows.extend(block_errors(error))
                else:
                    rows.extend(BodyError(None, "", m) for m in error.messages)
            errors["body"] = [row.as_dict() for row in rows]
        else:
            key = "detail" if name == NON_FIELD_ERRORS else name
            errors.setdefault(key, []).extend(
                m for error in field_errors for m in error.messages
            )
    return errors

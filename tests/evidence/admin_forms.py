"""POST data for the Wagtail page editor, built from a version's stored body.

The editor's StreamField inputs are made by JavaScript, so tests build the
data the browser would send: block ids, rich text as the editor's JSON, and
the citation lists, exactly as the admin form expects them.
"""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from evidence.blocks import RICH_TEXT_FEATURES


def _list_items(items, to_value):
    data = {"count": str(len(items))}
    for n, item in enumerate(items):
        data[str(n)] = {
            "id": item.get("id", ""),
            "deleted": "",
            "order": str(n),
            "value": to_value(item["value"]),
        }
    return data


def _citation(value):
    return {
        "source": "" if value.get("source") is None else str(value["source"]),
        "stance": value.get("stance", "supports"),
        "locator": value.get("locator", ""),
    }


def _block_value(kind, value):
    if kind == "heading":
        return {"text": value["text"], "level": value.get("level", "h2")}
    if kind == "paragraph":
        return {
            "text": rich_text(value["text"], features=RICH_TEXT_FEATURES),
            "role": value.get("role", "claim"),
            "citations": _list_items(value.get("citations", []), _citation),
        }
    if kind == "study":
        return {
            "source": str(value["source"]),
            "text": value["text"],
            "role": value.get("role", "claim"),
        }
    raise ValueError(f"No editor form data for {kind} blocks in these tests.")


def body_form_data(blocks) -> dict:
    data = {"count": str(len(blocks))}
    for n, block in enumerate(blocks):
        data[str(n)] = {
            "type": block["type"],
            "id": block["id"],
            "deleted": "",
            "order": str(n),
            "value": _block_value(block["type"], block["value"]),
        }
    return data


def page_form_data(version, action=None, **overrides) -> dict:
    """The editor's POST for `version` (a page object), pressing `action`."""
    fields = {
        "title": version.title,
        "slug": version.slug,
        "standfirst": version.standfirst,
        "subject_intervention": version.subject_intervention,
        "subject_route": version.subject_route,
        "body": body_form_data(list(version.body.raw_data)),
        "article_authors": inline_formset([]),
        "comments": inline_formset([]),
        **overrides,
    }
    data = nested_form_data(fields)
    if action:
        data[f"action-{action}"] = action
    return data

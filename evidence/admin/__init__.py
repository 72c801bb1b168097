"""The evidence app in Wagtail's admin.

- `review`: the medical review screen of a page and its menu entries;
- `library`: the source library's screens (add by DOI or PMID, import a
  file, confirm a grade, merge duplicates) and the Source views;
- `snippets`: the Source and ReviewerProfile snippets;
- `dashboard`: the evidence panel on the admin home page;
- `panels`: the "Evidence check" panel of the page editor;
- `history`: how the app's log entries read in page and snippet history.

`evidence/wagtail_hooks.py` registers them.
"""

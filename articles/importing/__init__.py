"""Articles written elsewhere, imported as draft pages.

- `documents`: a Markdown, plain-text or Word document read into blocks;
- `article`: `import_article`, the draft ArticlePage made from them, with
  claims marked and the studies the text names matched to Sources;
- `views`: the admin's upload screen.
"""

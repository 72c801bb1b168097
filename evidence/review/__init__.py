"""Medical review of passages.

- `state`: where a passage stands, from loaded decisions (the rules);
- `data`: loading decisions and authorship for a page's passages;
- `decisions`: recording a reviewer's decision, and who wrote each text;
- `notes`: a "request changes" note as a comment on the passage in the
  editor, resolved when the writer changes the passage.
"""

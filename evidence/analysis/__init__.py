"""What the words of a passage claim, and what its evidence can carry.

Pure Python, no database: `claims` (with its `lexicon`) finds the sentences
that state a health claim; `calibration` compares their wording with the
cited evidence; `certainty` suggests a GRADE-style certainty; `evaluation`
puts the three together for every passage of a page version.
"""

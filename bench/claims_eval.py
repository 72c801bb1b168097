"""How well the claim detector finds claims, on every labelled set.

    .venv/bin/python bench/claims_eval.py            # figures and every miss
    .venv/bin/python bench/claims_eval.py --quiet    # figures only

For the claim corpus (development and held-out parts), the older evaluation
set and the seed documents, prints recall and precision of the whole
detector, of the rules alone and of the trained model alone, the figures by
form, and then lists every missed claim and every false alarm of the whole
detector. The held-out part is for measuring only: never tune on its misses.
"""

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nadsite.settings_test")

from evidence.analysis.claims import (  # noqa: E402
    has_claim,
    model_finds_claim,
    rules_find_claim,
)
from evidence.analysis.text import normalise  # noqa: E402
from tests.evidence.analysis.claim_sets import (  # noqa: E402
    corpus_part,
    eval_set,
    measure,
    seed_set,
)


def per_sentence(judge):
    """A passage-level detector from a sentence-level one."""
    from evidence.analysis.sentences import sentence_spans

    def detect(text):
        folded = normalise(text).folded
        return any(judge(folded[s:e]) for s, e in sentence_spans(folded))

    return detect


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    sets = {
        "corpus, development part": corpus_part("development"),
        "corpus, held-out part": corpus_part("heldout"),
        "claims_eval.tsv": eval_set(),
        "seed documents": seed_set(),
    }
    detectors = {
        "rules or model": has_claim,
        "rules alone": per_sentence(rules_find_claim),
        "model alone": per_sentence(model_finds_claim),
    }
    results = {}
    for name, items in sets.items():
        print(f"\n## {name}")
        for label, detector in detectors.items():
            started = time.perf_counter()
            figures = measure(f"{label:>15}", items, detector)
            elapsed = time.perf_counter() - started
            print(f"  {figures.summary()}  [{elapsed * 1000 / len(items):.2f} ms each]")
            results[(name, label)] = figures
        if name.startswith("corpus"):
            by_form = defaultdict(lambda: [0, 0, 0, 0])
            whole = results[(name, "rules or model")]
            missed = {id(m) for m in whole.misses}
            alarms = {id(m) for m in whole.false_alarms}
            for item in items:
                form = item.group.split("/")[1]
                row = by_form[form]
                row[0] += item.is_claim
                row[1] += item.is_claim and id(item) not in missed
                row[2] += not item.is_claim
                row[3] += id(item) in alarms
            print("  by form (claims found / claims; false alarms / non-claims):")
            for form, (claims, found, others, false) in sorted(by_form.items()):
                print(f"    {form:8} {found}/{claims}; {false}/{others}")
    if args.quiet:
        return
    for name in sets:
        figures = results[(name, "rules or model")]
        print(f"\n## {name}: missed claims ({len(figures.misses)})")
        for item in figures.misses:
            print(f"  - [{item.group}] {item.text}")
        print(f"## {name}: false alarms ({len(figures.false_alarms)})")
        for item in figures.false_alarms:
            print(f"  - [{item.group}] {item.text}")


if __name__ == "__main__":
    main()

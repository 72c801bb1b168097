"""``manage.py train_claim_model``: rebuild the claim detector's trained model.

Trains a logistic regression on the development part of the claim corpus
(``evidence/analysis/corpus/development.tsv``; the held-out part is never
read here) and writes its weights to ``evidence/analysis/claim_model.json``,
which ``evidence.analysis.claim_model`` reads in plain Python at run time.

The model is a "naive Bayes logistic regression": each binary feature is
scaled by its log-count ratio between claims and non-claims before an
L2-regularised logistic regression is fitted, and the scaling is folded
back into the exported weights. The decision threshold is the highest one
at which the whole detector (the rules or the model) finds at least
``TARGET_RECALL`` of the claims in 5-fold cross-validation on the
development part. Everything is seeded and the weights rounded, so
rebuilding from the same corpus and code gives the same file byte for
byte (``--check`` verifies that).

scikit-learn is a development dependency (requirements-dev.txt); the site
itself never imports it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.analysis import claims
from evidence.analysis.claim_model import MODEL_PATH
from evidence.analysis.corpus import DEVELOPMENT, read_part
from evidence.analysis.text import normalise

MIN_COUNT = 2  # a feature seen in fewer development sentences is dropped
REGULARISATION = 10.0  # LogisticRegression's C, chosen by cross-validation
TARGET_RECALL = 0.96
FOLDS = 5
SEED = 20250
DECIMALS = 4
# Shape and rule features are few beside hundreds of n-grams; they are
# given more room so a short regularised model can still lean on them.
GROUP_SCALE = {"s:": 3.0}


def training_rows(examples):
    """Each example's features and whether the rules alone find a claim."""
    rows = []
    for example in examples:
        sentence = normalise(example.passage).folded
        rows.append(
            (claims.sentence_features(sentence), claims.rules_find_claim(sentence))
        )
    return rows


def _matrix(feature_rows, vocabulary):
    from scipy.sparse import csr_matrix

    indices, pointers, values = [], [0], []
    for found in feature_rows:
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        for feature in found:
            column = vocabulary.get(feature)
            if column is not None:
                indices.append(column)
                values.append(scale * GROUP_SCALE.get(feature[:2], 1.0))
        pointers.append(len(indices))
    shape = (len(feature_rows), len(vocabulary))
    return csr_matrix((values, indices, pointers), shape=shape)


def fit(feature_rows, labels):
    """The vocabulary, weights per feature and bias of a model trained on
    these rows."""
    import numpy as np
    from scipy.sparse import diags
    from sklearn.linear_model import LogisticRegression

    counts = Counter(feature for found in feature_rows for feature in found)
    kept = sorted(feature for feature, count in counts.items() if count >= MIN_COUNT)
    vocabulary = {feature: column for column, feature in enumerate(kept)}
    matrix = _matrix(feature_rows, vocabulary)
    labels = np.asarray(labels, dtype=int)
    present = (matrix > 0).astype(float)
    claims_count = np.asarray(present[labels == 1].sum(axis=0)).ravel() + 1.0
    others_count = np.asarray(present[labels == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.log(
        (claims_count / claims_count.sum()) / (others_count / others_count.sum())
    )
    model = LogisticRegression(C=REGULARISATION, solver="lbfgs", max_iter=10_000)
    model.fit(matrix @ diags(ratio), labels)
    scales = np.array([GROUP_SCALE.get(feature[:2], 1.0) for feature in kept])
    weights = model.coef_.ravel() * ratio * scales
    return kept, weights, float(model.intercept_[0])


def _probability(found, weights: dict, bias: float) -> float:
    if not found:
        margin = bias
    else:
        margin = bias + sum(weights.get(f, 0.0) for f in found) / math.sqrt(len(found))
    return 1.0 / (1.0 + math.exp(-max(min(margin, 30.0), -30.0)))


def cross_validated(rows, labels):
    """Each development sentence's probability from a model that did not
    see it (stratified folds, fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    probabilities = [0.0] * len(rows)
    for train, test in folds.split(rows, labels):
        kept, weights, bias = fit(
            [rows[i][0] for i in train], [labels[i] for i in train]
        )
        table = dict(zip(kept, weights.tolist(), strict=True))
        for i in test:
            probabilities[i] = _probability(rows[i][0], table, bias)
    return probabilities


def figures(rows, labels, probabilities, threshold):
    found = [
        rule or p >= threshold
        for (_f, rule), p in zip(rows, probabilities, strict=True)
    ]
    hits = sum(1 for f, label in zip(found, labels, strict=True) if f and label)
    flagged = sum(found)
    return hits / max(1, sum(labels)), hits / max(1, flagged)


def choose_threshold(rows, labels, probabilities) -> float:
    """The highest threshold (in hundredths) at which rules-or-model keeps
    TARGET_RECALL in cross-validation."""
    for hundredths in range(95, 4, -1):
        threshold = hundredths / 100
        recall, _precision = figures(rows, labels, probabilities, threshold)
        if recall >= TARGET_RECALL:
            return threshold
    return 0.05


def build_model() -> tuple[str, dict]:
    """The model file's text and the cross-validation figures."""
    examples = read_part(DEVELOPMENT)
    rows = training_rows(examples)
    labels = [int(example.is_claim) for example in examples]
    probabilities = cross_validated(rows, labels)
    threshold = choose_threshold(rows, labels, probabilities)
    recall, precision = figures(rows, labels, probabilities, threshold)
    kept, weights, bias = fit([found for found, _rule in rows], labels)
    exported = {}
    for feature, weight in zip(kept, weights.tolist(), strict=True):
        rounded = round(weight, DECIMALS)
        if rounded:
            exported[feature] = rounded
    meta = {
        "trained_on": f"evidence/analysis/corpus/{DEVELOPMENT}.tsv",
        "sentences": len(examples),
        "claims": sum(labels),
        "features": len(exported),
        "min_count": MIN_COUNT,
        "regularisation": REGULARISATION,
        "target_recall": TARGET_RECALL,
        "cv_folds": FOLDS,
        "cv_recall": round(recall, 4),
        "cv_precision": round(precision, 4),
    }
    data = {
        "meta": meta,
        "bias": round(bias, DECIMALS),
        "threshold": threshold,
        "weights": exported,
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text + "\n", meta


class Command(BaseCommand):
    help = (
        "Train the claim detector's model on the development part of the claim "
        "corpus and write evidence/analysis/claim_model.json (needs the "
        "development requirements: scikit-learn)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the model file differs from a rebuild.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=MODEL_PATH,
            help="Where to write the model (default: the shipped file).",
        )

    def handle(self, *args, check, output, **options):
        try:
            import sklearn  # noqa: F401
        except ImportError as error:
            raise CommandError(
                "Training needs scikit-learn: pip install -r requirements-dev.txt"
            ) from error
        self.stdout.write("Training on the development part of the claim corpus…")
        text, meta = build_model()
        self.stdout.write(
            f"{meta['sentences']} sentences ({meta['claims']} claims), "
            f"{meta['features']} features; cross-validated rules-or-model "
            f"recall {meta['cv_recall']:.3f}, precision {meta['cv_precision']:.3f}."
        )
        if check:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != text:
                raise CommandError(
                    f"{output} is not what the corpus and code build; run "
                    "manage.py train_claim_model and commit the file."
                )
            self.stdout.write(self.style.SUCCESS(f"{output} is up to date."))
            return
        output.write_text(text, encoding="utf-8")
        size = output.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({size:,} bytes)."))

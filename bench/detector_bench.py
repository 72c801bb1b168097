"""How fast the claim detector is, per sentence and by passage length.

    .venv/bin/python bench/detector_bench.py             # 3 rounds
    .venv/bin/python bench/detector_bench.py --rounds 5

Prints:
- the cost of importing the detector and reading its model;
- the time per sentence over every sentence of the claim corpus, for
  ``has_claim`` and for ``detect_sentences`` (which also reports cues);
- the time ``detect_sentences`` takes on one passage of 1,000 to 400,000
  characters, built from corpus sentences, and on hostile passages of the
  same lengths (no full stop at all, one unbroken word, unclosed "<a" tags,
  a run of digits, zero-width spaces between letters), with the time per
  1,000 characters, which stays flat when the work is linear.

Each figure is the lowest of the rounds (the machine is shared).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence.analysis.claims import detect_sentences, has_claim  # noqa: E402
from evidence.analysis.corpus import PARTS, read_part  # noqa: E402

LENGTHS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 400_000)


def best_of(rounds, function):
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def import_cost():
    code = (
        "import time; t = time.perf_counter();"
        "from evidence.analysis.claims import has_claim;"
        "has_claim('Zinc shortens colds.');"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    return float(out.stdout)


def passages(sentences, length):
    text = []
    size = 0
    index = 0
    while size < length:
        sentence = sentences[index % len(sentences)]
        text.append(sentence)
        size += len(sentence) + 1
        index += 1
    prose = " ".join(text)[:length]
    return {
        "prose from the corpus": prose,
        "no full stop": prose.replace(".", " ").replace("?", " ").replace("!", " "),
        "one unbroken word": "a" * length,
        'unclosed "<a"': "<a" * (length // 2),
        "digits": "1" * length,
        "zero-width spaces": "c\u200b" * (length // 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = args.rounds

    costs = [import_cost() for _ in range(rounds)]
    print(
        f"Import and first sentence: {min(costs) * 1000:.0f} ms "
        f"(rounds: {', '.join(f'{c * 1000:.0f}' for c in costs)})"
    )

    sentences = [example.passage for part in PARTS for example in read_part(part)]
    for name, function in (
        ("has_claim", has_claim),
        ("detect_sentences", detect_sentences),
    ):
        seconds = best_of(rounds, lambda f=function: [f(s) for s in sentences])
        print(
            f"{name}: {seconds * 1000 / len(sentences):.3f} ms per sentence "
            f"({len(sentences)} corpus sentences, {seconds:.2f} s)"
        )

    print("\ndetect_sentences on one passage (lowest of rounds):")
    header = "| characters | " + " | ".join(passages(sentences, 10)) + " |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for length in LENGTHS:
        cells = []
        for text in passages(sentences, length).values():
            seconds = best_of(rounds, lambda t=text: detect_sentences(t))
            cells.append(
                f"{seconds * 1000:.0f} ms ({seconds * 1e6 / length:.1f} µs/char)"
            )
        print(f"| {length:,} | " + " | ".join(cells) + " |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

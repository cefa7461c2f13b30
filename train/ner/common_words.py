"""Common words of AI news: the words the 2023-2025 corpus writes in lower case far more often than capitalized in running text.

    python train/ner/common_words.py pipelines/lexicons/common_words.txt [--min-lower 5] [--ratio 3]

A word is *common* when its lowercase occurrences are at least ``--min-lower`` and at least
``--ratio`` times its capitalized occurrences in running text (after a lowercase word, so that
title-case headings, sentence starts and bullet starts do not count). "Studio", "Critique",
"Soars", "Iceberg", "Expire" are common; "Brown", "Chen", "Altman", "Anthropic" are not.
``newskg_entities`` uses the list to reject a Person whose surname (any word after the first, or
a one-word name) is a common word ("Will Provide", "Mac Studio") and a one-word Organization the
recognizer alone found that is one ("Expire", "Arena"); docs/ner.md.

Read: ``../shared/corpus/ainews/issues-2023-2025/*.md`` (bodies) and ``descriptions-2023-2025.jsonl``
(2023-2025 only; no 2026 material is in ``../shared``). Handles (@name) and URLs are skipped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ainews"
#: A word, with the word before it (to tell running text from title case); handles and URL parts are skipped.
PAIR = re.compile(r"(?<![@/\w.#-])([A-Za-z][a-z'’-]*)[ ,]+(?=([A-Za-z][a-z'’-]+)(?![\w@/]))")
WORD = re.compile(r"(?<![@/\w.#-])[A-Za-z][a-z'’-]+(?![\w@/])")


def texts() -> list[str]:
    out = []
    for path in sorted((CORPUS / "issues-2023-2025").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = re.match(r"---\n.*?\n---\n", text, flags=re.S)
        out.append(text[m.end():] if m else text)
    for line in (CORPUS / "descriptions-2023-2025.jsonl").read_text(encoding="utf-8").splitlines():
        out.append(json.loads(line)["text"])
    return out


def count(corpus: list[str]) -> tuple[Counter, Counter]:
    lower: Counter = Counter()
    capital_in_text: Counter = Counter()
    for text in corpus:
        text = re.sub(r"https?://\S+", " ", text)
        for word in WORD.findall(text):
            if word.islower():
                lower[word] += 1
        for before, word in PAIR.findall(text):
            if before.islower() and word[:1].isupper() and word[1:].islower():
                capital_in_text[word.lower()] += 1
    return lower, capital_in_text


def common_words(lower: Counter, capital: Counter, min_lower: int, ratio: float) -> list[str]:
    return sorted(w for w, n in lower.items() if len(w) > 2 and n >= min_lower and n >= ratio * capital[w])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--min-lower", type=int, default=5)
    parser.add_argument("--ratio", type=float, default=3.0)
    args = parser.parse_args(argv)
    lower, capital = count(texts())
    words = common_words(lower, capital, args.min_lower, args.ratio)
    header = (f"# Common words of AI news (train/ner/common_words.py --min-lower {args.min_lower} --ratio {args.ratio}):\n"
              "# written in lower case at least that many times, and that ratio more often than capitalized in running text.\n")
    args.out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} common words -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Random Person (or other type) predictions of newskg's pipeline on long 2025 AI-news issues, for a hand check.

    .venv/bin/python bench/ner/sample_predictions.py [--type Person] [--n 40] [--seed 1] [--issues 6]
        [--model DIR] [--exclude-base-ner]

Draws ``--issues`` issues of 2025 (seeded), extracts each whole body (Discord/Reddit recaps included),
and prints ``--n`` random mentions of the type with their confidence and context, for judging
by hand (the junk people of long recaps: "Chatter", "Ohhh").
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import kg.extract.pipeline as pipeline

AINEWS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ainews" / "issues-2023-2025"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--type", default="Person")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--issues", type=int, default=6)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--exclude-base-ner", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from variant import patch_config

    patch_config(args.model, args.exclude_base_ner)
    nlp = pipeline.load_pipeline()
    rng = random.Random(args.seed)
    paths = rng.sample(sorted(AINEWS.glob("25-*.md")), args.issues)
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        m = re.match(r"---\n.*?\n---\n", text, flags=re.S)
        text = text[m.end():] if m else text
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        doc = nlp(text)
        meta = doc._.newskg_entity_meta or {}
        for ent in doc.ents:
            if ent.label_ == args.type:
                source, _, conf = meta.get((ent.start_char, ent.end_char), ("", "", None))
                found.append((path.name, ent.text, f"{conf} {source}", text[max(0, ent.start_char - 40) : ent.end_char + 40].replace("\n", " ")))
    from collections import Counter

    sources = Counter(conf.split(" ", 1)[1] for _, _, conf, _ in found)
    print(f"{len(found)} {args.type} mentions in {len(paths)} issues (by source: {dict(sources.most_common())}); a random {min(args.n, len(found))}:")
    for name, ent, conf, ctx in sorted(rng.sample(found, min(args.n, len(found)))):
        print(f"  {ent!r:32} {conf if conf is not None else '':<6} {name}  …{ctx}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())

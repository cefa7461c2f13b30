"""CPU time per pipeline component of newskg's extraction (and of the bare base model), one process.

    .venv/bin/python bench/component_profile.py [--articles 200] [--batch-size 8] [--bare]

Pipes the first N BBC articles (``../shared/corpus/bbc``) through ``nlp.pipeline`` component by
component in batches, timing each with ``time.process_time`` (CPU seconds: a shared machine moves
them less than wall time), plus the record building (``RecordBuilder.build``) for newskg. ``--bare``
profiles the base model as ``spacy.load`` gives it (the benchmark's ceiling). docs/scaling.md
quotes its figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--bare", action="store_true", help="the bare base model instead of newskg")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such folder")
    from kg.articles.model import Article
    from kg.articles.readers import read_articles

    articles = [a for a in read_articles([args.corpus]) if isinstance(a, Article)][: args.articles]
    if args.bare:
        import spacy

        from kg.extract.base_model import base_model_name

        nlp, builder = spacy.load(base_model_name()), None
    else:
        from kg.extract.extractor import RecordBuilder
        from kg.extract.pipeline import load_pipeline

        nlp = load_pipeline()
        builder = RecordBuilder.for_pipeline(nlp)
    list(nlp.pipe([a.text for a in articles[:8]]))  # warm up
    cost: Counter[str] = Counter()
    started = time.process_time()
    size = args.batch_size
    for i in range(0, len(articles), size):
        batch = articles[i : i + size]
        t = time.process_time()
        docs = [nlp.make_doc(a.text) for a in batch]
        cost["tokenizer"] += time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            docs = list(proc.pipe(docs, batch_size=size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            cost[name] += time.process_time() - t
        if builder is not None:
            t = time.process_time()
            for doc, article in zip(docs, batch, strict=True):
                builder.build(doc, article)
            cost["record building"] += time.process_time() - t
    total = time.process_time() - started
    n = len(articles)
    print(f"{'bare ' + nlp.meta.get('name', '') if args.bare else 'newskg'}: {n} articles, batches of {size}, {1000 * total / n:.1f} ms CPU per article")
    for name, seconds in cost.most_common():
        print(f"  {name:<28} {1000 * seconds / n:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

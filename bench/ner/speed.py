"""CPU seconds of newskg's extraction with and without the base ``ner``, against the bare base model.

    .venv/bin/python bench/ner/speed.py [--articles 150] [--folder ../shared/corpus/bbc]

One process, ``time.process_time`` (CPU seconds, so that a busy shared machine counts less than wall
time would): the bare ``en_core_web_sm`` ``nlp.pipe``; newskg's extraction (``extract_articles``) as
configured; and with the base ``ner`` excluded (``bench/ner/variant.py --exclude-base-ner``'s change).
A rough single-process check of the speed goal, not ``bench/pipeline_bench.py``'s benchmark.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import spacy

import kg.extract.pipeline as pipeline
from kg.articles.model import Article
from kg.articles.readers import read_articles
from kg.extract.extractor import extract_articles


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--folder", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bbc")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder}: no such folder")
    files = sorted(args.folder.rglob("*.txt"))[:: max(1, len(sorted(args.folder.rglob("*.txt"))) // args.articles)][: args.articles]
    articles = [a for a in read_articles(files) if isinstance(a, Article)]
    texts = [a.text for a in articles]
    config = pipeline.load_config()
    bare = spacy.load(config["nlp"]["base_model"])
    list(bare.pipe(texts[:5]))
    t_bare = cpu(lambda: list(bare.pipe(texts, batch_size=64)))
    results = {"bare en_core_web_sm": t_bare}
    original = pipeline.load_config
    for label, exclude in (("newskg", False), ("newskg without the base ner", True)):
        def load_config(path=None, exclude=exclude):
            c = original(path)
            if exclude:
                c["nlp"]["exclude"] = sorted({*c["nlp"].get("exclude", []), "ner"})
            return c

        pipeline.load_config = load_config
        nlp = pipeline.load_pipeline()
        list(extract_articles(nlp, articles[:5]))
        results[label] = cpu(lambda: list(extract_articles(nlp, articles)))
    pipeline.load_config = original
    print(f"{len(articles)} articles from {args.folder}; CPU seconds (throughput relative to the bare model):")
    for label, seconds in results.items():
        print(f"  {label:<30} {seconds:7.2f}  ({t_bare / seconds:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Train, package and measure newskg's statistical attribution tagger (PolNeAR SOURCE/CUE/CONTENT).

    .venv/bin/python bench/train_attribution.py convert          # PolNeAR train/dev -> DocBins
    .venv/bin/python bench/train_attribution.py train            # spacy train (pipelines/attribution/train.cfg)
    .venv/bin/python bench/train_attribution.py package          # model-best -> pipelines/attribution/model/
    .venv/bin/python bench/train_attribution.py evaluate --split dev   # rules / tagger / combined
    .venv/bin/python bench/train_attribution.py throughput       # articles/s with and without the tagger

Corpus text and DocBins never enter the repository: they are written under ``--work``
(``build/attribution`` by default, git-ignored) and regenerated from ``../shared/corpus``.

Conversion: one annotator file per text (the first by name, as the evaluation reader sorts them),
every attribution's source, cue and content as spans labelled SOURCE, CUE and CONTENT, each brat
fragment group merged and trimmed exactly as the evaluation does (``normalized_spans``), then
aligned to the base model's tokens (``alignment_mode="expand"``). PolNeAR is almost flat: an
attribution inside another one's content splits that content into fragments rather than nesting
in it (on train, 5 of ~60,000 spans overlap another span), so a single ``ner`` layer loses next
to nothing; ``--nested`` picks which span of an overlapping pair is kept.

Model selection uses ``dev/`` only; ``test/`` is read by ``evaluate --split test`` for reporting.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
WORK = REPO / "build" / "attribution"
CONFIG = REPO / "pipelines" / "attribution" / "train.cfg"
MODEL_DIR = REPO / "pipelines" / "attribution" / "model"
LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}


# -- convert ----------------------------------------------------------------------------------
def document_spans(text: str, attributions, nested: str = "outermost") -> list[tuple[int, int, str]]:
    """Character spans (start, end, label) of one annotator file, without overlaps.

    ``nested="outermost"`` keeps the longer of two overlapping spans, ``"innermost"`` the shorter.
    """
    from kg.eval.polnear import ROLES
    from kg.eval.spans import normalized_spans

    spans: set[tuple[int, int, str]] = set()
    for attribution in attributions:
        for role in ROLES:
            for bound in getattr(attribution, role):
                spans.update((a, b, LABELS[role]) for a, b in normalized_spans(text, bound.fragments))
    longest_first = sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=(nested == "outermost"))
    kept: list[tuple[int, int, str]] = []
    for span in longest_first:
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def convert_split(split_dir: Path, out: Path, nested: str) -> Counter:
    import spacy
    from spacy.tokens import DocBin

    from kg.eval.polnear import read_polnear
    from kg.extract.pipeline import load_base_model

    nlp = load_base_model(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    stats: Counter = Counter()
    bin_ = DocBin(store_user_data=False)
    for pdoc in read_polnear(split_dir):
        doc = nlp.make_doc(pdoc.text)
        ents = []
        for start, end, label in document_spans(pdoc.text, pdoc.annotations[0].attributions, nested):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            stats[label] += 1
            if span is None:
                stats["unaligned"] += 1
                continue
            ents.append(span)
        aligned = len(ents)
        ents = spacy.util.filter_spans(ents)  # expansion may make neighbours share a token
        stats["dropped_after_alignment"] += aligned - len(ents)
        doc.set_ents(ents, default="outside")
        stats["docs"] += 1
        stats["tokens"] += len(doc)
        bin_.add(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(out)
    return stats


def cmd_convert(args: argparse.Namespace) -> None:
    for split in ("train", "dev"):
        out = args.work / f"{split}-{args.nested}.spacy"
        stats = convert_split(args.corpus / "polnear" / split, out, args.nested)
        print(f"{split}: {out} {dict(stats)}")


# -- train ------------------------------------------------------------------------------------
def resume_config(config: Path, model: Path, dest: Path) -> Path:
    """``config`` with the attribution component sourced from a trained pipeline, to train it further."""
    from thinc.api import Config

    settings = Config().from_disk(config, interpolate=False)
    settings["components"]["attribution"] = {"source": str(model.resolve())}
    dest.parent.mkdir(parents=True, exist_ok=True)
    settings.to_disk(dest)
    return dest


def cmd_train(args: argparse.Namespace) -> None:
    output = args.work / args.run
    config = resume_config(args.config, args.resume, args.work / f"{args.run}.cfg") if args.resume else args.config
    command = [
        sys.executable, "-m", "spacy", "train", str(config), "--output", str(output),
        "--paths.train", str(args.work / f"train-{args.nested}.spacy"),
        "--paths.dev", str(args.work / f"dev-{args.nested}.spacy"),
        *args.overrides,
    ]
    print(" ".join(command), flush=True)
    started = time.monotonic()
    subprocess.run(command, check=True)
    print(f"trained in {time.monotonic() - started:.0f} s", flush=True)


# -- package ----------------------------------------------------------------------------------
def cmd_package(args: argparse.Namespace) -> None:
    from kg.extract.attribution_tagger import save_component

    size = save_component(args.model, args.dest, component="attribution")
    print(f"packaged {args.model} -> {args.dest} ({size / 1e6:.2f} MB)")


# -- evaluate ---------------------------------------------------------------------------------
def cmd_evaluate(args: argparse.Namespace) -> None:
    from kg.eval.newskg import NewskgPredictor
    from kg.eval.polnear import evaluate, read_polnear
    from kg.extract.pipeline import load_pipeline

    split_dir = args.corpus / "polnear" / args.split
    docs = list(read_polnear(split_dir, limit=args.limit))
    report: dict = {"split": args.split, "documents": len(docs), "model": str(args.model_dir), "systems": {}}
    for mode in args.modes:
        # "rules", or a combine mode ("replace", "union", "union-tagger"), "+orphans" for orphan_cues
        combine, _, orphans = mode.partition("+")
        nlp = load_pipeline()
        tagger = nlp.get_pipe("newskg_attribution_tagger")
        tagger.configure(enabled=combine != "rules", combine="union" if combine == "rules" else combine, orphan_cues=bool(orphans), model=args.model_dir)
        # PolNeAR annotates every attribution: score before the graph's precision filter
        # (kg eval polnear's "newskg-all"), contents in newskg's span convention
        nlp.get_pipe("newskg_claims").said_refine = False
        started = time.monotonic()
        section = evaluate(docs, NewskgPredictor(nlp), batch_size=16)
        section["seconds"] = round(time.monotonic() - started, 1)
        report["systems"][mode] = section
        print(_row(mode, section), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"report: {args.out}")


def _row(name: str, section: dict) -> str:
    cells = []
    for match in ("exact", "overlap"):
        for role in ("source", "cue", "content"):
            s = section[match][role]
            cells.append(f"{match[:2]}-{role[:4]} P {100 * s['precision']:5.1f} R {100 * s['recall']:5.1f} F {100 * s['f1']:5.1f}")
    return f"{name:<14}" + " | ".join(cells) + f"  ({section.get('seconds', 0)} s)"


# -- throughput -------------------------------------------------------------------------------
def cmd_throughput(args: argparse.Namespace) -> None:
    from kg.articles.build import article_from_text
    from kg.extract.extractor import extract_articles
    from kg.extract.pipeline import load_pipeline

    files = sorted(p for p in (args.corpus / "bbc").rglob("*.txt") if p.name != "README.TXT")
    step = max(1, len(files) // args.articles)
    picked = files[::step][: args.articles]
    articles = [article_from_text(p.read_text(encoding="utf-8", errors="replace"), markdown=False, id=f"bbc-{i}") for i, p in enumerate(picked)]
    words = sum(len(a.text.split()) for a in articles)
    results = {}
    for enabled in (False, True, False, True):
        nlp = load_pipeline()
        nlp.get_pipe("newskg_attribution_tagger").configure(enabled=enabled, model=args.model_dir)
        list(extract_articles(nlp, articles[:8]))  # warm-up
        started = time.process_time(), time.monotonic()
        said = sum(sum(1 for c in r.claims if c.type == "SAID") for r in extract_articles(nlp, articles))
        cpu, wall = time.process_time() - started[0], time.monotonic() - started[1]
        key = "tagger" if enabled else "rules"
        results.setdefault(key, []).append({"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "said": said})
        print(f"{key:<7} {len(articles)} articles ({words} words): {len(articles) / cpu:5.2f} articles/CPU-s, wall {wall:.1f} s, {said} SAID claims", flush=True)
    best = {k: min(v, key=lambda r: r["cpu_s"]) for k, v in results.items()}
    print(f"CPU cost of the tagger: +{100 * (best['tagger']['cpu_s'] / best['rules']['cpu_s'] - 1):.1f}% (best of two runs each)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--nested", choices=("outermost", "innermost"), default="outermost")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("convert")
    train = sub.add_parser("train")
    train.add_argument("--config", type=Path, default=CONFIG)
    train.add_argument("--run", default="run1")
    train.add_argument("--resume", type=Path, help="go on training the attribution component of this trained pipeline (e.g. build/attribution/run1/model-best)")
    train.add_argument("overrides", nargs="*", help="spacy train overrides, e.g. --training.max_steps 3000")
    package = sub.add_parser("package")
    package.add_argument("--model", type=Path, default=WORK / "run1" / "model-best")
    package.add_argument("--dest", type=Path, default=MODEL_DIR)
    evaluate = sub.add_parser("evaluate")
    evaluate.add_argument("--split", choices=("dev", "test"), default="dev")
    evaluate.add_argument("--limit", type=int)
    evaluate.add_argument("--modes", nargs="+", default=["rules", "replace", "union"])
    evaluate.add_argument("--model-dir", type=Path, default=None)
    evaluate.add_argument("--out", type=Path)
    throughput = sub.add_parser("throughput")
    throughput.add_argument("--articles", type=int, default=200)
    throughput.add_argument("--model-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    if getattr(args, "out", "unset") is None:
        args.out = args.work / f"eval-{args.split}.json"
    os.environ.setdefault("PYTHONHASHSEED", "0")
    {"convert": cmd_convert, "train": cmd_train, "package": cmd_package, "evaluate": cmd_evaluate, "throughput": cmd_throughput}[args.command](args)


if __name__ == "__main__":
    main()

"""Tune newskg_entities' confidence threshold on the AI-news gold dev split (never on test).

    .venv/bin/python bench/ner/tune_threshold.py bench/gold/ainews2025/gold.jsonl [--split dev]
        [--thresholds 0,0.3,0.5,0.7,0.8,0.9] [--heading-thresholds ...] [--person-thresholds ...] [--rule-thresholds ...] [--model-thresholds ...]
        [--model DIR] [--exclude-base-ner]

Runs newskg's pipeline on the split's excerpts once per threshold (the recognizer's and the rules'
candidates below it are dropped, rules may then take a span over) and prints exact-match P/R/F1 for
ORG, PERSON, MODEL and their micro average, as ``kg eval ainews-gold`` computes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.eval.ainews_gold import CORE, evaluate, read_gold
from kg.eval.newskg import NewskgPredictor
from kg.extract.pipeline import load_pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    parser.add_argument("--thresholds", default="0,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95")
    parser.add_argument("--heading-thresholds", default=None, help="also vary heading_threshold (default: the configured one)")
    parser.add_argument("--model", type=Path, default=None, help="a trained NER model folder instead of pipelines/ner/model")
    parser.add_argument("--exclude-base-ner", action="store_true", help="leave the base model's ner (second opinion) out")
    parser.add_argument("--person-thresholds", default=None, help="also vary person_threshold (default: the configured one)")
    parser.add_argument("--rule-thresholds", default=None, help="also vary rule_threshold (default: the configured one)")
    parser.add_argument("--model-thresholds", default=None, help="also vary model_threshold (default: the configured one)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from variant import patch_config

    patch_config(args.model, args.exclude_base_ner)
    excerpts = list(read_gold(args.gold, split=args.split))
    nlp = load_pipeline()
    recognizer = nlp.get_pipe("newskg_entities")
    print(f"{len(excerpts)} {args.split} excerpts; threshold: " + "  ".join(f"{k:>17}" for k in (*CORE, "micro")))
    headings = [float(t) for t in args.heading_thresholds.split(",")] if args.heading_thresholds else [recognizer.heading_threshold]
    people = [float(t) for t in args.person_thresholds.split(",")] if args.person_thresholds else [recognizer.person_threshold]
    rules = [float(t) for t in args.rule_thresholds.split(",")] if args.rule_thresholds else [recognizer.rule_threshold]
    models = [float(t) for t in args.model_thresholds.split(",")] if args.model_thresholds else [recognizer.model_threshold]
    for heading, person, rule, model in ((h, p, r, m) for h in headings for p in people for r in rules for m in models):
        for threshold in (float(t) for t in args.thresholds.split(",")):
            recognizer.threshold, recognizer.heading_threshold, recognizer.person_threshold = threshold, heading, person
            recognizer.rule_threshold, recognizer.model_threshold = rule, model
            section = evaluate(excerpts, NewskgPredictor(nlp))
            cells = "  ".join(f"{section[k]['precision']:.3f}/{section[k]['recall']:.3f}/{section[k]['f1']:.3f}" for k in (*CORE, "micro"))
            print(f"{threshold:>5.2f} (headings {heading:.2f}, people {person}, rules {rule}, models {model})  {cells}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Train the (organization, model) relation classifier on weak labels (kg/extract/relation_classifier.py).

    nice .venv/bin/python bench/train_relations.py [--out pipelines/relations/model.json]

Data: the 2023–2025 AI-news summaries (``../shared/corpus/ainews/descriptions-2023-2025.jsonl``),
minus every summary the gold (bench/gold/ainews2025/gold.jsonl) draws an excerpt from. Each
(Organization, Model) pair of a sentence found by newskg's entities is labelled by the curated
developer map and the summary's front matter (module docstring of relation_classifier.py); pairs
of models with no known family are left out. Prints the counts and a held-out accuracy (every
tenth summary), then trains on all and writes the weights.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from kg.articles.build import article_from_text  # noqa: E402
from kg.eval.ainews import name_key  # noqa: E402
from kg.extract import relation_classifier as rc  # noqa: E402
from kg.extract.lexicon import load_lexicon  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402
from kg.extract.releases import is_release_object, known_developer, same_organization  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "ainews"
GOLD = HERE / "gold" / "ainews2025" / "gold.jsonl"


def gold_summary_ids() -> set[str]:
    ids = set()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        source = json.loads(line)["source"]
        if "#" in source:
            ids.add(source.split("#", 1)[1])
        else:  # an issue file: leave out its summary too (same issue)
            ids.add(Path(source).stem)
    return ids


def listed(key: str, slugs: set[str]) -> bool:
    return any(key == s or (len(s) >= 3 and (key.startswith(s) or s.startswith(key))) for s in slugs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "pipelines" / "relations" / "model.json")
    parser.add_argument("--descriptions", type=Path, default=CORPUS / "descriptions-2023-2025.jsonl")
    args = parser.parse_args()
    if not args.descriptions.is_file():
        print(f"error: {args.descriptions}: not found", file=sys.stderr)
        return 1
    excluded = gold_summary_ids()
    docs = [json.loads(line) for line in args.descriptions.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [d for d in docs if d["id"][:2] in ("23", "24", "25") and d["id"] not in excluded]
    lexicon = load_lexicon()
    nlp = load_pipeline()
    started = time.perf_counter()
    per_doc: list[list[tuple[list[str], int]]] = []
    texts = [article_from_text(d["text"], markdown=True).text for d in docs]
    for d, doc in zip(docs, nlp.pipe(texts, batch_size=32), strict=True):
        companies = {name_key(s, "Organization") for s in d.get("companies") or []} | {"".join(c for c in s if c.isalnum()) for s in d.get("companies") or []}
        models = {name_key(s, "Model") for s in d.get("models") or []}
        examples = []
        for cand in rc.candidates(doc, lambda e: is_release_object(e, lexicon)):
            developer = known_developer(cand.model.text, lexicon)
            if developer is None:
                continue
            if same_organization(cand.organization.text, developer, lexicon):
                if listed(name_key(cand.organization.text, "Organization"), companies) and listed(name_key(cand.model.text, "Model"), models):
                    examples.append((rc.features(cand), 1))
            else:
                examples.append((rc.features(cand), 0))
        per_doc.append(examples)
    elapsed = time.perf_counter() - started
    train, held = rc.held_out_split(per_doc)
    model = rc.train(train)
    right = sum((model.score(feats) >= 0) == bool(label) for feats, label in held)
    positives = sum(label for ex in per_doc for _, label in ex)
    total = sum(len(ex) for ex in per_doc)
    print(f"summaries: {len(docs)} (excluded {len(excluded)} gold sources); pairs: {total} ({positives} positive); pipeline {elapsed:.0f} s")
    print(f"held-out accuracy (every 10th summary, {len(held)} pairs): {right / max(1, len(held)):.3f}")
    final = rc.train([e for ex in per_doc for e in ex])
    meta = {"summaries": len(docs), "pairs": total, "positives": positives, "held_out_accuracy": round(right / max(1, len(held)), 4), "trainer": "bench/train_relations.py"}
    rc.save(final, args.out, meta)
    print(f"wrote {args.out} ({len(final.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

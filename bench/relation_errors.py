"""List the relation errors of newskg on the AI-news 2025 gold, with the excerpt's entities.

    nice .venv/bin/python bench/relation_errors.py [--split dev] [--only missed|wrong] [--column org→model]

For every excerpt of the split with a missed or wrong pair (as scored by
``kg eval ainews-relations``): the excerpt's cleaned text with newskg's entities marked
``[text|Type]``, the gold relations and the predicted ones, and the errors. A reading aid for
tuning on the dev split (never run it on test to change rules).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kg.articles.build import article_from_text  # noqa: E402
from kg.eval.newskg import NewskgPredictor  # noqa: E402
from kg.eval.relations_gold import read_gold, score_excerpt  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402


def marked(doc) -> str:  # type: ignore[no-untyped-def]
    out, last = [], 0
    for ent in doc.ents:
        if ent.label_ not in ("Organization", "Model", "Person"):
            continue
        out.append(doc.text[last : ent.start_char])
        out.append(f"[{ent.text}|{ent.label_[:3]}]")
        last = ent.end_char
    out.append(doc.text[last:])
    return "".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=HERE / "gold" / "ainews2025" / "gold.jsonl")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--only", choices=("missed", "wrong"), default=None)
    parser.add_argument("--column", default=None, help="org→model, AFFILIATED_WITH, DERIVED_FROM or status")
    args = parser.parse_args()
    nlp = load_pipeline()
    predictor = NewskgPredictor(nlp, markdown=True)
    excerpts = list(read_gold(args.gold, split=args.split))
    predictor.prefetch([e.text for e in excerpts])
    for excerpt in excerpts:
        predicted = predictor.predict_relations(excerpt.text)
        errors = score_excerpt(excerpt, predicted)["errors"]
        rows = [("missed", e) for e in errors["missed"]] + [("wrong", e) for e in errors["wrong"]]
        rows = [(k, e) for k, e in rows if (args.only is None or k == args.only) and (args.column is None or e[0] == args.column)]
        if not rows:
            continue
        doc = nlp(article_from_text(excerpt.text, markdown=True).text)
        print(f"=== {excerpt.id}")
        print(marked(doc).strip())
        print("  gold: " + "; ".join(f"{r.type} {r.head} → {r.tail}" + (f" ({r.qualifier})" if r.qualifier else "") for r in excerpt.relations))
        print("  pred: " + "; ".join(f"{p.type} {excerpt.text[p.subject[0]:p.subject[1]]} → {excerpt.text[p.object[0]:p.object[1]]}" + (f" ({p.qualifier})" if p.qualifier else "") for p in predicted))
        for kind, error in rows:
            print(f"  {kind}: {' '.join(error)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

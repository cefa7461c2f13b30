"""Is newskg_ner's entity confidence calibrated? Reliability and alternatives on the AI-news gold dev split.

    .venv/bin/python bench/ner/calibration.py bench/gold/ainews2025/gold.jsonl [--split dev] [--model DIR]
        [--folds 5] [--bins 0,0.5,0.7,0.8,0.9,0.95,0.99,1.01]

Runs the recognizer alone (``newskg_ner`` after the base pipeline, no newskg_entities rules) on the
split's excerpts and scores each recognized Organization/Person/Model/Place entity against the gold
(right: same span and type). Prints

* reliability by bin of the current confidence (the lowest chosen-action probability over the
  entity's tokens), per type: how many entities, how many right;
* for each candidate confidence (``min`` (current), ``mean``, ``geo`` (geometric mean) of the token
  probabilities, and ``learned``: a logistic calibrator over the features below, scored by
  ``--folds``-fold cross-validation over excerpts so that no excerpt scores itself) the precision
  at the recall that the current confidence reaches at thresholds 0.5 / 0.7 / 0.9, and the average
  precision (area under the precision-recall curve of the ranking), per type and over all.

Features of the learned calibrator: log-odds of the min and mean probability, number of tokens,
all words title-case, a digit, the base model's NER has the same span with the same type / any
overlapping entity, the entity is alone on its line / first on its line, label one-hot.
Recall here is over the gold entities of the type (the recognizer alone, before the rules).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy

from kg.eval.ainews_gold import read_gold
from kg.extract.pipeline import load_pipeline

TYPE = {"ORG": "ORG", "PERSON": "PERSON", "MODEL": "MODEL", "GPE": "PLACE", "LOC": "PLACE"}
BASE_TYPE = {"ORG": "ORG", "PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE"}
LABELS = ("ORG", "PERSON", "MODEL", "PLACE")


def logit(p: numpy.ndarray) -> numpy.ndarray:
    p = numpy.clip(p, 1e-4, 1 - 1e-4)
    return numpy.log(p / (1 - p))


def recognized(nlp, excerpts) -> list[dict]:
    """Every core-type entity of the recognizer alone, with its token probabilities and features."""
    dner = nlp.get_pipe("newskg_ner")
    upto = nlp.pipe_names.index("newskg_ner")
    rows = []
    for ex in excerpts:
        doc = nlp.make_doc(ex.text)
        for name, proc in nlp.pipeline[:upto]:
            doc = proc(doc)
        base = [(e.start_char, e.end_char, BASE_TYPE.get(e.label_)) for e in doc.ents]
        doc.set_ents([], default="missing")
        states, probs = dner._greedy_scored([doc])
        dner.ner.set_annotations([doc], states)
        gold = {(s, e, t) for s, e, t in ex.entities}
        for ent in doc.ents:
            kind = TYPE.get(ent.label_)
            if kind is None:
                continue
            p = numpy.array(probs[0][ent.start : ent.end])
            line_start = ex.text.rfind("\n", 0, ent.start_char) + 1
            line_end = ex.text.find("\n", ent.end_char)
            line = ex.text[line_start : (line_end if line_end >= 0 else len(ex.text))]
            words = [t.text for t in ent if t.text[:1].isalpha()]
            rows.append({
                "excerpt": ex.id, "type": kind, "text": ent.text,
                "min": float(p.min()), "mean": float(p.mean()), "geo": float(numpy.exp(numpy.log(numpy.clip(p, 1e-6, 1)).mean())),
                "tokens": len(ent), "title": bool(words) and all(w[:1].isupper() for w in words),
                "digit": any(c.isdigit() for c in ent.text),
                "base_same": (ent.start_char, ent.end_char, kind) in base,
                "base_any": any(s < ent.end_char and ent.start_char < e for s, e, _ in base),
                "alone": line.strip(" -*#:•") == ent.text, "first": ex.text[line_start : ent.start_char].strip(" -*#>•") == "",
                "right": (ent.start_char, ent.end_char, kind) in gold,
            })
    return rows


def features(rows: list[dict]) -> numpy.ndarray:
    cols = [
        logit(numpy.array([r["min"] for r in rows])),
        logit(numpy.array([r["mean"] for r in rows])),
        numpy.log([r["tokens"] for r in rows]),
        *(numpy.array([float(r[k]) for r in rows]) for k in ("title", "digit", "base_same", "base_any", "alone", "first")),
        *(numpy.array([float(r["type"] == t) for r in rows]) for t in LABELS),
    ]
    return numpy.stack(cols, axis=1)


def fit_logistic(x: numpy.ndarray, y: numpy.ndarray, l2: float = 1.0, steps: int = 50) -> numpy.ndarray:
    """Newton's method for L2-regularised logistic regression (bias last, not regularised)."""
    x = numpy.hstack([x, numpy.ones((len(x), 1))])
    w = numpy.zeros(x.shape[1])
    reg = numpy.full(x.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + numpy.exp(-x @ w))
        grad = x.T @ (p - y) + reg * w
        hess = (x.T * (p * (1 - p))) @ x + numpy.diag(reg) + 1e-6 * numpy.eye(len(w))
        w -= numpy.linalg.solve(hess, grad)
    return w


def predict_logistic(w: numpy.ndarray, x: numpy.ndarray) -> numpy.ndarray:
    return 1 / (1 + numpy.exp(-(numpy.hstack([x, numpy.ones((len(x), 1))]) @ w)))


def cross_validated(rows: list[dict], folds: int) -> numpy.ndarray:
    x, y = features(rows), numpy.array([float(r["right"]) for r in rows])
    excerpts = sorted({r["excerpt"] for r in rows})
    fold_of = {e: i % folds for i, e in enumerate(excerpts)}
    out = numpy.zeros(len(rows))
    for k in range(folds):
        test = numpy.array([fold_of[r["excerpt"]] == k for r in rows])
        w = fit_logistic(x[~test], y[~test])
        out[test] = predict_logistic(w, x[test])
    return out


def precision_at_recall(scores: numpy.ndarray, right: numpy.ndarray, n_gold: int, recall: float) -> float:
    """Best precision of a threshold on ``scores`` that reaches ``recall`` (nan where none does)."""
    order = numpy.argsort(-scores, kind="stable")
    tp = numpy.cumsum(right[order])
    kept = numpy.arange(1, len(order) + 1)
    ok = tp / max(n_gold, 1) >= recall - 1e-9
    return float((tp / kept)[ok].max()) if ok.any() else float("nan")


def average_precision(scores: numpy.ndarray, right: numpy.ndarray, n_gold: int) -> float:
    order = numpy.argsort(-scores, kind="stable")
    hits = right[order]
    tp = numpy.cumsum(hits)
    return float((tp / numpy.arange(1, len(hits) + 1))[hits.astype(bool)].sum() / max(n_gold, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    parser.add_argument("--model", default=None, help="a trained NER model folder instead of pipelines/ner/model")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show-wrong", default=None, metavar="TYPE", help="list every wrong entity of TYPE (ORG, PERSON, ...)")
    parser.add_argument("--bins", default="0,0.5,0.7,0.8,0.9,0.95,0.99,1.01")
    args = parser.parse_args(argv)
    excerpts = list(read_gold(args.gold, split=args.split))
    nlp = load_pipeline()
    if args.model:
        import spacy

        dner = nlp.get_pipe("newskg_ner")
        dner.ner = spacy.load(args.model).get_pipe("ner")
    rows = recognized(nlp, excerpts)
    n_gold: dict[str, int] = defaultdict(int)
    for ex in excerpts:
        for _, _, t in ex.entities:
            n_gold[t] += 1
    right = numpy.array([float(r["right"]) for r in rows])
    kinds = numpy.array([r["type"] for r in rows])
    print(f"{len(excerpts)} {args.split} excerpts, {len(rows)} recognized core entities ({int(right.sum())} right)")
    edges = [float(b) for b in args.bins.split(",")]
    current = numpy.array([r["min"] for r in rows])
    print("\nreliability of the current confidence (min): bin  " + "  ".join(f"{t:>12}" for t in (*LABELS, "all")))
    for lo, hi in zip(edges, edges[1:]):
        cells = []
        for t in (*LABELS, "all"):
            sel = (current >= lo) & (current < hi) & ((kinds == t) if t != "all" else True)
            n = int(sel.sum())
            cells.append(f"{int(right[sel].sum()):>4}/{n:<4}{(right[sel].mean() if n else float('nan')):>4.2f}")
        print(f"  [{lo:.2f}, {min(hi, 1):.2f}{')' if hi <= 1 else ']'}  " + "  ".join(f"{c:>12}" for c in cells))
    candidates = {
        "min": current,
        "mean": numpy.array([r["mean"] for r in rows]),
        "geo": numpy.array([r["geo"] for r in rows]),
        "learned": cross_validated(rows, args.folds),
    }
    print("\nprecision at the recall of the current confidence at threshold 0.5 / 0.7 / 0.9, and average precision")
    for t in (*LABELS, "all"):
        sel = (kinds == t) if t != "all" else numpy.ones(len(rows), bool)
        gold_n = n_gold[t] if t != "all" else sum(n_gold[k] for k in LABELS)
        targets = [right[sel & (current >= th)].sum() / max(gold_n, 1) for th in (0.5, 0.7, 0.9)]
        print(f"  {t:<7} (gold {gold_n}; recall {'/'.join(f'{r:.3f}' for r in targets)})")
        for name, scores in candidates.items():
            cells = " / ".join(f"{precision_at_recall(scores[sel], right[sel], gold_n, r):.3f}" for r in targets)
            print(f"    {name:<8} P {cells}   AP {average_precision(scores[sel], right[sel], gold_n):.3f}")
    w = fit_logistic(features(rows), right)
    names = ["logit_min", "logit_mean", "log_tokens", "title", "digit", "base_same", "base_any", "alone", "first", *(f"is_{t}" for t in LABELS), "bias"]
    print("\nlearned calibrator on the whole split: " + ", ".join(f"{n} {v:+.2f}" for n, v in zip(names, w)))
    worst = sorted((r for r in rows if not r["right"]), key=lambda r: -r["min"])[:15]
    print("most confident wrong entities: " + "; ".join(f"{r['type']} {r['text']!r} {r['min']:.2f}" for r in worst))
    if args.show_wrong:
        wrong = [r for r in rows if not r["right"] and r["type"] == args.show_wrong]
        print(f"wrong {args.show_wrong}: " + "; ".join(f"{r['text']!r} {r['min']:.2f}" for r in wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())

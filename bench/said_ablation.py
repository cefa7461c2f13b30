"""Ablation of the SAID precision rules on a PolNeAR split (tuning aid, dev only).

    nice .venv/bin/python bench/said_ablation.py ../shared/corpus/polnear/dev [--limit N]

Parses each text once with newskg's pipeline (the raw PolNeAR text, without the article
cleaning ``kg eval`` does, so figures differ slightly from ``kg eval polnear``), keeps the
combined tagger + rules attributions before the precision filter, then scores
``refine_attributions`` with each named rule switched off in turn (exact match, trimmed, as
``kg eval polnear``). A rule whose removal raises F1 without costing precision is a candidate
to loosen; never run this on test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import kg.extract.attribution as A  # noqa: E402
import kg.extract.claims_component as C  # noqa: E402
from kg.eval.polnear import PolnearTotals, read_polnear, score_document  # noqa: E402
from kg.eval.predictors import Attribution as Predicted  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402

#: rule name -> (function in kg.extract.attribution, the value that switches it off)
RULES = {
    "cue_is_uttered": ("_cue_is_uttered", lambda *a, **k: True),
    "parser_source": ("_parser_source", lambda att, *a, **k: att),
    "across_semicolon": ("_across_semicolon", lambda *a, **k: False),
    "speaker_acts": ("_without_speaker_acts", lambda doc, text, span, *a, **k: span),
    "cut_clause": ("_without_cut_clause", lambda doc, text, span: span),
    "after_lead_in": ("_after_lead_in", lambda text, span, cue: span),
    "other_clause": ("_other_clause", lambda *a, **k: False),
    "own_attribution": ("_own_attribution", lambda *a, **k: False),
    "under_another_subject": ("_under_another_subject", lambda *a, **k: False),
    "in_cue_modifier": ("_in_cue_modifier", lambda *a, **k: False),
    "quote_before_own_clause": ("_quote_before_own_clause", lambda *a, **k: False),
    "source_in_lead_in": ("_source_in_lead_in", lambda *a, **k: False),
    "first_quote_paragraph": ("_first_quote_paragraph", lambda text, span: span),
    "pronoun_object": ("_pronoun_object", lambda *a, **k: False),
    "other_voices": ("_without_other_voices", lambda text, span: span),
    "is_speaker": ("_is_speaker", lambda *a, **k: True),
    "subordinate_only": ("_subordinate_only", lambda *a, **k: False),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--rules", nargs="*", default=list(RULES), choices=list(RULES), help="the rules to switch off, one at a time")
    args = parser.parse_args()
    if "test" in args.split.name:
        print("error: ablation is for tuning; run it on train or dev, not test", file=sys.stderr)
        return 2
    nlp = load_pipeline()
    raw: dict[int, list] = {}
    real_refine = C.refine_attributions

    def keep(doc, found, lexicon, *, keep_all=False):  # type: ignore[no-untyped-def]
        raw[id(doc)] = list(found)
        return real_refine(doc, found, lexicon, keep_all=keep_all)

    C.refine_attributions = keep  # type: ignore[assignment]
    docs = list(read_polnear(args.split, args.limit))
    parsed = [(d, nlp(d.text)) for d in docs]
    lexicon = next(p for _, p in nlp.pipeline if isinstance(p, C.ClaimFinder)).lexicon

    def score(label: str) -> None:
        totals = PolnearTotals.empty()
        for doc, parsed_doc in parsed:
            kept = A.refine_attributions(parsed_doc, raw[id(parsed_doc)], lexicon)
            score_document(doc, [Predicted(a.source, a.cue, a.content) for a in kept], totals)
        cells = []
        for role in ("source", "cue", "content"):
            s = totals.scores["exact"][role].as_dict()
            cells.append(f"{100 * s['precision']:5.1f}/{100 * s['recall']:5.1f}/{100 * s['f1']:5.1f}")
        print(f"{label:<24} {'   '.join(cells)}   n={totals.predicted_attributions}", flush=True)

    print(f"{'rule off':<24} {'source P/R/F1':<20}{'cue P/R/F1':<20}content P/R/F1")
    score("(all on)")
    for name in args.rules:
        function, off = RULES[name]
        original = getattr(A, function)
        setattr(A, function, off)
        try:
            score(name)
        finally:
            setattr(A, function, original)
    return 0


if __name__ == "__main__":
    sys.exit(main())

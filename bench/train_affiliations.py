"""Train the (person, organization) affiliation classifier on weak labels (kg/extract/affiliation_classifier.py).

    nice .venv/bin/python bench/train_affiliations.py [--out pipelines/affiliations/model.json]

Data: BBC News (``../shared/corpus/bbc``, the first ``--bbc-per-section`` articles of each
section) and every ``--issue-step``-th 2024–2025 AI-news issue (``../shared/corpus/ainews/
issues-2023-2025``, its first ``--issue-chars`` characters) whose summary or excerpt the gold
(bench/gold/ainews2025/gold.jsonl) does not draw from. Labels come from newskg's precise
affiliation rules (``PRECISE_RULES``): a (Person, Organization) pair of a sentence is positive when
one of them links it, negative when no rule at all links it. CrossRE is not used: the shared corpus
holds only its dev and test splits, kept for evaluation. Prints the counts and a held-out accuracy
(every tenth document), then trains on all and writes the weights.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from train_relations import gold_summary_ids  # noqa: E402

from kg.articles.build import article_from_text  # noqa: E402
from kg.extract import affiliation_classifier as ac  # noqa: E402
from kg.extract import relation_classifier as rc  # noqa: E402
from kg.extract.lexicon import load_lexicon  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
PRECISE_RULES = frozenset({"appositive", "appositive-possessive", "prenominal", "role-of-org", "affiliation-verb", "copular-role", "appositive-role"})


def texts(bbc_per_section: int, issue_step: int, issue_chars: int) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    bbc = CORPUS / "bbc"
    for section in sorted(p for p in bbc.iterdir() if p.is_dir()):
        for path in sorted(section.glob("*.txt"))[:bbc_per_section]:
            found.append((f"bbc/{section.name}/{path.name}", path.read_bytes().decode("utf-8", errors="replace")))
    excluded = gold_summary_ids()
    issues = sorted(p for p in (CORPUS / "ainews" / "issues-2023-2025").glob("2[45]-*.md") if p.stem not in excluded)
    for path in issues[::issue_step]:
        text = article_from_text(path.read_text(encoding="utf-8")[:issue_chars], markdown=True).text
        found.append((f"ainews/{path.name}", text))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "pipelines" / "affiliations" / "model.json")
    parser.add_argument("--bbc-per-section", type=int, default=70)
    parser.add_argument("--issue-step", type=int, default=16)
    parser.add_argument("--issue-chars", type=int, default=20000)
    args = parser.parse_args()
    if not (CORPUS / "bbc").is_dir() or not (CORPUS / "ainews").is_dir():
        print(f"error: {CORPUS}: the shared corpus (bbc/, ainews/) is not there", file=sys.stderr)
        return 1
    docs = texts(args.bbc_per_section, args.issue_step, args.issue_chars)
    lexicon = load_lexicon()
    nlp = load_pipeline()
    nlp.get_pipe("newskg_claims").affiliation_classifier = None  # labels from the rules alone
    started = time.perf_counter()
    per_doc: list[list[tuple[list[str], int]]] = []
    for doc in nlp.pipe((t for _, t in docs), batch_size=16):
        linked = {(a.person.start, a.organization.start): a.rule for a in doc._.newskg_claims.affiliations}
        examples = []
        for pair in ac.candidates(doc):
            rule = linked.get((pair.person.start_char, pair.organization.start_char))
            if rule is None:
                examples.append((ac.features(pair, lexicon), 0))
            elif rule in PRECISE_RULES:
                examples.append((ac.features(pair, lexicon), 1))
        per_doc.append(examples)
    elapsed = time.perf_counter() - started
    train, held = rc.held_out_split(per_doc)
    model = rc.train(train)
    right = sum((model.score(feats) >= 0) == bool(label) for feats, label in held)
    held_pos = [(f, y) for f, y in held if y]
    recall = sum(model.score(feats) >= 0 for feats, _ in held_pos) / max(1, len(held_pos))
    positives = sum(label for ex in per_doc for _, label in ex)
    total = sum(len(ex) for ex in per_doc)
    print(f"documents: {len(docs)}; pairs: {total} ({positives} positive); pipeline {elapsed:.0f} s")
    print(f"held-out (every 10th document, {len(held)} pairs): accuracy {right / max(1, len(held)):.3f}, recall of rule pairs {recall:.3f}")
    final = rc.train([e for ex in per_doc for e in ex])
    meta = {
        "documents": len(docs), "pairs": total, "positives": positives, "held_out_accuracy": round(right / max(1, len(held)), 4),
        "held_out_rule_recall": round(recall, 4), "trainer": "bench/train_affiliations.py",
    }
    rc.save(final, args.out, meta)
    print(f"wrote {args.out} ({len(final.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

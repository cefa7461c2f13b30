"""Random Organization/Person/Model predictions of newskg's pipeline on long 2025 AI-news issues, for a hand check.

    .venv/bin/python bench/ner/sample_predictions.py [--types Organization,Person,Model] [--n 200]
        [--seed 1] [--issues 6] [--unit entity|mention] [--tsv FILE] [--verdicts FILE] [--markdown FILE]
    .venv/bin/python bench/ner/sample_predictions.py --render JUDGED.tsv   # a judged TSV as a Markdown table
        [--model DIR] [--exclude-base-ner]

Draws ``--issues`` issues of 2025 (seeded), extracts each whole body (Discord/Reddit recaps included)
and draws ``--n`` predictions of the types at random (seeded). ``--unit entity`` (the default) draws
among the distinct (issue, type, name) entities an analyst would see, each shown at its first
mention; ``mention`` draws among all mentions (dominated by the frequent names). ``--tsv`` writes
file, start, end, type, confidence, source, name and context, to judge by hand; ``--verdicts`` reads
an earlier judged TSV (the same columns plus a ``verdict`` column: ok / wrong, and an optional note)
and copies the verdict of every identical (file, start, end, type, name) row, so that only new
predictions need judging. Offsets are character offsets into the issue's body (after the front
matter).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from pathlib import Path

import kg.extract.pipeline as pipeline

AINEWS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ainews" / "issues-2023-2025"
COLUMNS = ["file", "start", "end", "type", "confidence", "source", "name", "verdict", "note", "context"]


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n.*?\n---\n", text, flags=re.S)
    return text[m.end():] if m else text


def read_verdicts(path: Path | None) -> dict[tuple[str, str, str, str, str], tuple[str, str]]:
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            (r["file"], r["start"], r["end"], r["type"], r["name"]): (r.get("verdict", ""), r.get("note", ""))
            for r in csv.DictReader(f, delimiter="\t")
            if r.get("verdict")
        }


def to_markdown(rows: list[dict[str, str]]) -> str:
    """The predictions and their verdicts as a Markdown table: file, offsets, type, name; no article text."""
    lines = ["| # | file | start | end | type | name | confidence | source | verdict | note |", "| --- " * 10 + "|"]
    for i, r in enumerate(rows, 1):
        cells = [str(i), r["file"], r["start"], r["end"], r["type"], r["name"].replace("|", "\\|"), r["confidence"], r["source"], r.get("verdict") or "?", r.get("note") or ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--types", default="Organization,Person,Model")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--issues", type=int, default=6)
    parser.add_argument("--unit", choices=("entity", "mention"), default="entity")
    parser.add_argument("--tsv", type=Path, default=None, help="write the drawn predictions here")
    parser.add_argument("--verdicts", type=Path, default=None, help="a judged TSV whose verdicts are copied")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="write the drawn predictions with their verdicts as a Markdown table (no context: no article text)")
    parser.add_argument("--survival", type=Path, default=None,
                        help="a judged TSV of an earlier run: count its entities (file, type, name) still found, by verdict")
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--exclude-base-ner", action="store_true")
    parser.add_argument("--render", type=Path, default=None, help="only print a judged TSV as a Markdown table (no extraction)")
    args = parser.parse_args(argv)
    if args.render is not None:
        with args.render.open(encoding="utf-8", newline="") as f:
            print(to_markdown(list(csv.DictReader(f, delimiter="\t"))), end="")
        return 0
    types = set(args.types.split(","))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from variant import patch_config

    patch_config(args.model, args.exclude_base_ner)
    nlp = pipeline.load_pipeline()
    rng = random.Random(args.seed)
    paths = rng.sample(sorted(AINEWS.glob("25-*.md")), args.issues)
    found = []
    for path in sorted(paths):
        text = body(path)
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        doc = nlp(text)
        meta = doc._.newskg_entity_meta or {}
        seen: set[tuple[str, str]] = set()
        for ent in doc.ents:
            if ent.label_ not in types:
                continue
            source, name, conf = meta.get((ent.start_char, ent.end_char), ("", ent.text, None))
            key = (ent.label_, name or ent.text)
            if args.unit == "entity" and key in seen:
                continue
            seen.add(key)
            context = text[max(0, ent.start_char - 60) : ent.end_char + 60].replace("\n", " ⏎ ").replace("\t", " ")
            found.append({"file": path.name, "start": str(ent.start_char), "end": str(ent.end_char), "type": ent.label_,
                          "confidence": "" if conf is None else str(conf), "source": source, "name": name or ent.text, "context": context})
    drawn = sorted(rng.sample(found, min(args.n, len(found))), key=lambda r: (r["file"], int(r["start"])))
    judged = read_verdicts(args.verdicts)
    for row in drawn:
        verdict, note = judged.get((row["file"], row["start"], row["end"], row["type"], row["name"]), ("", ""))
        row["verdict"], row["note"] = verdict, note
    by_type = Counter(r["type"] for r in found)
    print(f"{len(found)} {'entities' if args.unit == 'entity' else 'mentions'} of {sorted(types)} in {len(paths)} issues ({dict(by_type)}); {len(drawn)} drawn")
    verdicts = Counter((r["type"], r["verdict"]) for r in drawn)
    for t in sorted(types):
        ok, wrong, open_ = verdicts[(t, "ok")], verdicts[(t, "wrong")], sum(1 for r in drawn if r["type"] == t and not r["verdict"])
        print(f"  {t:13} drawn {ok + wrong + open_:4}  ok {ok:4}  wrong {wrong:4}  unjudged {open_:4}")
    judged_n = sum(1 for r in drawn if r["verdict"] in ("ok", "wrong"))
    if judged_n:
        print(f"  precision by hand: {sum(1 for r in drawn if r['verdict'] == 'ok')}/{judged_n}")
    if args.survival is not None:
        now = {(r["file"], r["type"], r["name"]) for r in found}
        with args.survival.open(encoding="utf-8", newline="") as f:
            earlier = [r for r in csv.DictReader(f, delimiter="\t") if r.get("verdict")]
        for verdict in ("ok", "wrong"):
            rows = [r for r in earlier if r["verdict"] == verdict]
            kept = [r for r in rows if (r["file"], r["type"], r["name"]) in now]
            print(f"  of {args.survival.name}'s {len(rows)} {verdict}: {len(kept)} still found")
            for r in rows:
                if (verdict == "ok") != ((r["file"], r["type"], r["name"]) in now):
                    print(f"    {'lost' if verdict == 'ok' else 'kept'}: {r['type']} {r['name']!r} ({r['note']})")
    if args.markdown is not None:
        args.markdown.write_text(to_markdown(drawn), encoding="utf-8")
    if args.tsv is not None:
        with args.tsv.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS, delimiter="\t", quoting=csv.QUOTE_MINIMAL)
            writer.writeheader()
            writer.writerows(drawn)
    else:
        for r in drawn:
            print(f"  {r['type']:12} {r['name']!r:32} {r['confidence']:6} {r['source']:16} {r['file']}  …{r['context']}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())

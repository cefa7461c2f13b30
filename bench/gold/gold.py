"""The AI-news 2025 gold set: show excerpts, turn hand annotations into file + offset gold, render it back.

    python bench/gold/gold.py show x000 [x001 ...]        # an excerpt's text, from ../shared/corpus
    python bench/gold/gold.py convert work/*.json > bench/gold/ainews2025/gold.jsonl
    python bench/gold/gold.py render x000                 # gold of an excerpt with its surface strings

Hand annotations (one JSON file per annotator, kept out of the repository: they quote names) list,
for each excerpt, every entity *string* with its type and the stated relations between them:

    {"id": "x000",
     "entities": [{"text": "OpenAI", "type": "ORG"}, {"text": "GPT-5", "type": "MODEL"}],
     "relations": [{"type": "RELEASED", "head": "OpenAI", "tail": "GPT-5", "status": "released"}]}

``convert`` labels every whole-word occurrence of each string in the excerpt (a longer string wins
where two overlap; ``"at": [k, ...]`` restricts a string to its k-th occurrences, 0-based) and writes
only offsets into the source (``[start, end, type]``) and relations whose arguments are the offsets of
one mention each; no article text. The converter fails loudly on a string that is not in the excerpt.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ainews"
HERE = Path(__file__).resolve().parent / "ainews2025"
ENTITY_TYPES = {"ORG", "PERSON", "MODEL", "PLACE", "PRODUCT", "SOFTWARE", "BENCHMARK", "HARDWARE", "HANDLE"}
RELATION_TYPES = {
    "RELEASED": ({"ORG", "PERSON"}, {"MODEL"}),
    "DEVELOPS": ({"ORG", "PERSON"}, {"MODEL"}),
    "DERIVED_FROM": ({"MODEL"}, {"MODEL"}),
    "AFFILIATED_WITH": ({"PERSON", "HANDLE"}, {"ORG"}),
}
STATUSES = {"released", "announced", "planned"}


def excerpts() -> dict[str, dict]:
    return {e["id"]: e for e in map(json.loads, (HERE / "excerpts.jsonl").read_text().splitlines())}


_frames: dict[str, str] = {}


def source_text(source: str) -> str:
    """The text an excerpt's offsets point into (an issue body after front matter, or a summary's text)."""
    if source not in _frames:
        if "#" in source:
            name, sid = source.split("#", 1)
            for line in (CORPUS / name).open(encoding="utf-8"):
                obj = json.loads(line)
                if obj["id"] == sid:
                    _frames[source] = obj["text"]
                    break
        else:
            text = (CORPUS / source).read_text(encoding="utf-8")
            m = re.match(r"---\n.*?\n---\n", text, flags=re.S)
            _frames[source] = text[m.end():] if m else text
    return _frames[source]


def excerpt_text(ex: dict) -> str:
    return source_text(ex["source"])[ex["start"]:ex["end"]]


def _occurrences(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(needle)] if i + len(needle) < len(text) else " "
        if not (before.isalnum() or before in "_") and not (after.isalnum() or after in "_"):
            out.append(i)
        i = text.find(needle, i + 1)
    return out


def convert_one(ex: dict, ann: dict) -> dict:
    text = excerpt_text(ex)
    spans: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for ent in sorted(ann.get("entities", []), key=lambda e: -len(e["text"])):
        if ent["type"] not in ENTITY_TYPES:
            raise ValueError(f"{ex['id']}: unknown type {ent['type']!r}")
        occ = _occurrences(text, ent["text"])
        if not occ:
            raise ValueError(f"{ex['id']}: {ent['text']!r} is not in the excerpt")
        if "at" in ent:
            occ = [occ[k] for k in ent["at"]]
        for i in occ:
            j = i + len(ent["text"])
            if any(taken[i:j]):
                continue
            taken[i:j] = [True] * (j - i)
            spans.append((i, j, ent["type"]))
    spans.sort()
    first = {}
    for i, j, t in spans:
        first.setdefault(text[i:j], (i, j, t))
    relations = []
    for rel in ann.get("relations", []):
        kind = rel["type"]
        if kind not in RELATION_TYPES:
            raise ValueError(f"{ex['id']}: unknown relation {kind!r}")
        args = []
        for role, allowed in zip(("head", "tail"), RELATION_TYPES[kind]):
            name = rel[role]
            if name not in first:
                raise ValueError(f"{ex['id']}: relation {kind} {role} {name!r} is not an annotated entity")
            i, j, t = first[name]
            if t not in allowed:
                raise ValueError(f"{ex['id']}: relation {kind} {role} {name!r} has type {t}")
            args.append([ex["start"] + i, ex["start"] + j])
        row = {"type": kind, "head": args[0], "tail": args[1]}
        if kind == "RELEASED":
            if rel.get("status") not in STATUSES:
                raise ValueError(f"{ex['id']}: RELEASED needs a status in {sorted(STATUSES)}")
            row["status"] = rel["status"]
        if kind == "AFFILIATED_WITH" and rel.get("role"):
            row["role"] = rel["role"]
        relations.append(row)
    return {
        "id": ex["id"], "split": ex["split"], "source": ex["source"], "start": ex["start"], "end": ex["end"],
        "entities": [[ex["start"] + i, ex["start"] + j, t] for i, j, t in spans],
        "relations": relations,
    }


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"show", "convert", "render"}:
        print(__doc__)
        return 2
    exs = excerpts()
    if argv[0] == "show":
        for eid in argv[1:]:
            ex = exs[eid]
            print(f"=== {eid} ({ex['split']}, {ex['source']}) ===\n{excerpt_text(ex)}\n")
        return 0
    if argv[0] == "convert":
        anns: dict[str, dict] = {}
        for path in argv[1:]:
            for ann in json.loads(Path(path).read_text()):
                anns[ann["id"]] = ann
        errors = 0
        for eid in sorted(anns):
            try:
                print(json.dumps(convert_one(exs[eid], anns[eid])))
            except (ValueError, KeyError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                errors += 1
        print(f"{len(anns) - errors} excerpts converted, {errors} with errors", file=sys.stderr)
        return 1 if errors else 0
    gold = {g["id"]: g for g in map(json.loads, (HERE / "gold.jsonl").read_text().splitlines())}
    for eid in argv[1:]:
        g = gold[eid]
        src = source_text(g["source"])
        print(f"=== {eid} ===")
        for i, j, t in g["entities"]:
            print(f"  {t:10s} {src[i:j]}")
        for r in g["relations"]:
            extra = r.get("status") or r.get("role") or ""
            print(f"  {r['type']}({src[slice(*r['head'])]}, {src[slice(*r['tail'])]}) {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

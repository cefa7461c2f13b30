"""Draw the SAID claims of the attribution hand check (docs/said-handcheck.md), with a fixed seed.

    python bench/said_sample.py files                       # the seeded articles, AI news then BBC
    nice .venv/bin/kg extract $(python bench/said_sample.py files --set ai) -o /tmp/hc/ai.jsonl -q
    nice .venv/bin/kg extract $(python bench/said_sample.py files --set bbc) -o /tmp/hc/bbc.jsonl -q
    python bench/said_sample.py sample /tmp/hc/ai.jsonl -n 100   # the claims to judge, one block each
    python bench/said_sample.py sample /tmp/hc/bbc.jsonl -n 50

The articles: ``--ai-files`` long 2025 AI-news issues (at least 100 kB) and ``--bbc-files`` BBC
articles, each drawn with ``random.Random(seed)`` from the sorted file list. The claims: the SAID
records of the extraction output, in file order, sampled with ``random.Random(seed)``. Each block
shows the file, the character offsets of source, cue and content, the speaker, the spans' text and
the sentence, for judging by reading; nothing is written to the repository (the corpus is
copyrighted: a hand check lists file, offsets and verdicts only).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
SEED = 14


def ai_files(corpus: Path, count: int, seed: int) -> list[str]:
    files = sorted(f for f in glob.glob(str(corpus / "ainews" / "issues-2023-2025" / "25-*.md")) if os.path.getsize(f) >= 100_000)
    return random.Random(seed).sample(files, min(count, len(files)))


def bbc_files(corpus: Path, count: int, seed: int) -> list[str]:
    files = sorted(glob.glob(str(corpus / "bbc" / "*" / "*.txt")))
    return random.Random(seed).sample(files, min(count, len(files)))


def said_claims(path: Path) -> list[tuple[dict, dict]]:
    """(claim, article) pairs of the SAID claims in an extraction output, in file order."""
    articles: dict[str, dict] = {}
    claims = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not a JSON line ({error.msg})") from None
            if record.get("kind") == "article":
                articles[record["id"]] = record
            elif record.get("kind") == "claim" and record.get("type") == "SAID":
                claims.append((record, articles.get(record["article"], {})))
    return claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--seed", type=int, default=SEED)
    sub = parser.add_subparsers(dest="command", required=True)
    files = sub.add_parser("files", help="print the seeded article files")
    files.add_argument("--set", choices=("ai", "bbc", "both"), default="both")
    files.add_argument("--ai-files", type=int, default=6)
    files.add_argument("--bbc-files", type=int, default=40)
    sample = sub.add_parser("sample", help="print the sampled SAID claims of an extraction output")
    sample.add_argument("output", type=Path)
    sample.add_argument("-n", type=int, default=100)
    sample.add_argument("--context", type=int, default=400, help="characters of the sentence shown")
    args = parser.parse_args()
    if args.command == "files":
        chosen = []
        if args.set in ("ai", "both"):
            chosen += ai_files(args.corpus, args.ai_files, args.seed)
        if args.set in ("bbc", "both"):
            chosen += bbc_files(args.corpus, args.bbc_files, args.seed)
        print(" ".join(chosen))
        return 0
    if not args.output.is_file():
        print(f"error: {args.output}: no such file", file=sys.stderr)
        return 2
    claims = said_claims(args.output)
    picked = sorted(random.Random(args.seed).sample(range(len(claims)), min(args.n, len(claims))))
    print(f"# {len(claims)} SAID claims in {args.output}; {len(picked)} sampled with seed {args.seed}")
    for number, index in enumerate(picked, 1):
        claim, article = claims[index]
        text = article.get("text", "")
        spans = claim.get("spans") or {}

        def piece(name: str) -> str:
            span = spans.get(name)
            return text[span[0] : span[1]] if span else "-"

        where = " ".join(f"{name}={span[0]}-{span[1]}" for name, span in spans.items())
        print(f"\n[{number}] {Path(article.get('path', '?')).name} {where} rule={claim.get('rule')} direct={claim.get('direct')}")
        print(f"  speaker: {claim.get('subject')}  | source: {piece('source')!r}  | cue: {piece('cue')!r}")
        print(f"  content: {piece('content')!r}")
        print(f"  sentence: {claim.get('evidence', '')[: args.context]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

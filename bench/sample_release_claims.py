"""Draw random RELEASED/DEVELOPS claims from the long 2025 AI-news issues, for a hand check.

    nice .venv/bin/python bench/sample_release_claims.py --seed 13 [--issues 60] [--window 20000] [--claims 100]

Fixed-seed sampling across many issues: the 2025 issues of ``../shared/corpus/ainews/issues-2023-2025``
of at least ``--min-chars`` characters are shuffled with the seed, the first ``--issues`` of them are
taken, and from each a random window of whole lines of about ``--window`` characters is extracted by
newskg as one Markdown article (as ``kg eval ainews-relations`` extracts an excerpt). From all the
RELEASED and DEVELOPS claims found, ``--claims`` are drawn with the same seed.

Prints one row per claim: the issue file, the character offsets in the file of the claim's subject
and object, the claim (type, subject → object, status), and, for the reader only, the line of the
issue that holds it (issue text is copyrighted: paste the rows into the docs without the context,
which ``--no-context`` leaves out). The verdicts are the reader's.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kg.eval.newskg import NewskgPredictor  # noqa: E402

ISSUES = HERE.parent.parent / "shared" / "corpus" / "ainews" / "issues-2023-2025"


def windows(files: list[Path], size: int, rng: random.Random) -> list[tuple[Path, int, str]]:
    """One random run of whole lines of about ``size`` characters from each file: (file, offset, text)."""
    out = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if len(text) <= size:
            out.append((path, 0, text))
            continue
        start = rng.randrange(0, len(text) - size)
        start = text.rfind("\n", 0, start) + 1  # the start of that line
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        out.append((path, start, text[start:end]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--issues", type=int, default=60, help="how many issues to draw windows from")
    parser.add_argument("--window", type=int, default=20000, help="characters per window (whole lines)")
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--min-chars", type=int, default=100000, help="an issue this long or longer is a long issue")
    parser.add_argument("--corpus", type=Path, default=ISSUES)
    parser.add_argument("--no-context", action="store_true", help="leave out the issue line of each claim")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"error: {args.corpus}: no such folder (the AI-news issues of ../shared/corpus)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    long_issues = sorted(p for p in args.corpus.glob("25-*.md") if p.stat().st_size >= args.min_chars)
    rng.shuffle(long_issues)
    chosen = sorted(long_issues[: args.issues])
    parts = windows(chosen, args.window, rng)
    predictor = NewskgPredictor(markdown=True)
    predictor.prefetch([text for _, _, text in parts])
    pool = []
    for path, offset, text in parts:
        for rel in predictor.predict_relations(text):
            if rel.type in ("RELEASED", "DEVELOPS"):
                pool.append((path, offset, text, rel))
    drawn = rng.sample(pool, min(args.claims, len(pool)))
    drawn.sort(key=lambda c: (c[0].name, c[3].subject[0]))
    print(f"# seed {args.seed}: {len(chosen)} of {len(long_issues)} long 2025 issues, windows of ~{args.window} chars, "
          f"{len(pool)} RELEASED/DEVELOPS claims, {len(drawn)} drawn from {len({c[0] for c in drawn})} issues")
    for n, (path, offset, text, rel) in enumerate(drawn, 1):
        (ss, se), (os_, oe) = rel.subject, rel.object
        claim = f"{text[ss:se]} {rel.type} {text[os_:oe]}" + (f" ({rel.qualifier})" if rel.qualifier else "")
        print(f"{n}. {path.name[:8]} {offset + ss}-{offset + se}/{offset + os_}-{offset + oe} | {claim}")
        if not args.no_context:
            low, high = min(ss, os_), max(se, oe)
            line_start = text.rfind("\n", 0, low) + 1
            line_end = text.find("\n", high)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            cut = max(0, low - line_start - 250)
            print("    > " + line[cut : high - line_start + 150].replace("\n", " "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

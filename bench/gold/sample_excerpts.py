"""Draw the AI-news 2025 gold excerpts at random, reproducibly (seeded), as file + character offsets.

    python bench/gold/sample_excerpts.py [--corpus ../shared/corpus] > bench/gold/ainews2025/excerpts.jsonl

An excerpt is a run of whole lines (a paragraph, a bullet list, part of a recap) of a 2025 newsletter
issue in ``ainews/issues-2023-2025/`` (offsets into the file's text after its front matter), or a 2025
daily summary of ``ainews/descriptions-2023-2025.jsonl`` (offsets into its ``text`` field). The text is
never copied: a line records ``source`` (the file, or ``descriptions-2023-2025.jsonl#ID``), ``start``,
``end`` and the split (``dev`` or ``test``, alternating over the shuffled draw).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

SEED = 20251
N_ISSUE_EXCERPTS = 130
N_SUMMARY_EXCERPTS = 50
MIN_CHARS, MAX_CHARS = 350, 1100


def issue_body(path: Path) -> str:
    """The issue's text after its YAML front matter (the offsets' frame)."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n.*?\n---\n", text, flags=re.S)
    return text[m.end():] if m else text


def line_block(body: str, rng: random.Random) -> tuple[int, int] | None:
    """Whole lines from a random line on, at least MIN_CHARS; a long line is cut at a sentence end."""
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    starts = [s for s in starts if s < len(body) and body[s:s + 1].strip()]
    if not starts:
        return None
    start = rng.choice(starts[5:] or starts)  # skip the issue's standard opening lines
    end = start
    while end < len(body) and end - start < MIN_CHARS:
        nl = body.find("\n", end)
        end = len(body) if nl < 0 else nl + 1
    if end - start > MAX_CHARS:
        cut = [m.end() for m in re.finditer(r"[.!?](?=\s)", body[start:start + MAX_CHARS])]
        cut = [c for c in cut if c >= MIN_CHARS // 2]
        end = start + (cut[-1] if cut else MAX_CHARS)
    while end > start and body[end - 1] in "\n ":
        end -= 1
    return (start, end) if end - start >= 80 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = ap.parse_args()
    rng = random.Random(SEED)
    issues = sorted((args.corpus / "ainews/issues-2023-2025").glob("25-*.md"))
    draws = []
    chosen = set()
    while len(draws) < N_ISSUE_EXCERPTS:
        path = rng.choice(issues)
        block = line_block(issue_body(path), rng)
        if block and (path.name, block[0]) not in chosen:
            chosen.add((path.name, block[0]))
            draws.append({"source": f"issues-2023-2025/{path.name}", "start": block[0], "end": block[1]})
    summaries = [json.loads(line) for line in (args.corpus / "ainews/descriptions-2023-2025.jsonl").open()]
    summaries = [s for s in summaries if s["date"].startswith("2025")]
    for s in rng.sample(summaries, N_SUMMARY_EXCERPTS):
        draws.append({"source": f"descriptions-2023-2025.jsonl#{s['id']}", "start": 0, "end": len(s["text"])})
    rng.shuffle(draws)
    for i, d in enumerate(draws):
        d["id"] = f"x{i:03d}"
        d["split"] = "dev" if i % 2 == 0 else "test"
        print(json.dumps({"id": d["id"], "split": d["split"], "source": d["source"], "start": d["start"], "end": d["end"]}))


if __name__ == "__main__":
    main()

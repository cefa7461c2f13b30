"""AI-news summaries: Organization and Model names per document against silver labels.

The labels (``companies``, ``models``) are slugs listing what the whole newsletter issue
covered, so only labels that the summary text actually names are gold. Both sides go through
one normalisation, :func:`name_key`, and the comparison is a set of keys per document:

* ``name_key``: lowercase, keep runs of letters and digits, join them ("Llama 3.1 405B" and
  ``llama-3-1-405b`` both give ``llama31405b``); for organisations, drop trailing suffix
  words (:data:`ORG_SUFFIXES`: "Mistral AI" and ``mistral-ai`` give ``mistral``) while at least
  three characters remain (``x-ai`` stays ``xai``); organisations are also compared in the
  unstripped form, so "Mistral AI" meets both ``mistral-ai`` and ``mistralai``;
* a label is gold if its key equals the concatenation of consecutive words of the text and
  at least one of those words has a capital letter or a digit (names are written that way;
  this keeps ``together-ai`` from matching the word "together");
* a few silver slugs are not names (``meta-ai-fair``, ``togethercompute``): :data:`SLUG_ALIASES`
  adds the names the texts use for them;
* a predicted entity is right if its canonical name or any alias or mention text has a gold key;
  predicted entities with the same key count once, and so do slugs with a shared key
  (``hugging-face``, ``huggingface``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.eval.metrics import Score, score_table, total
from kg.eval.predictors import NamedEntity, NamePredictor
from kg.eval.runner import Tick, predict_each

NAME = "ainews"
PROTOCOL = "newskg-eval/ainews/1"
TYPES: tuple[str, ...] = ("Organization", "Model")
LABEL_FIELDS: dict[str, str] = {"Organization": "companies", "Model": "models"}
ORG_SUFFIXES: frozenset[str] = frozenset(
    {"ai", "inc", "labs", "lab", "research", "corp", "corporation", "ltd", "llc", "co", "company", "technologies", "tech"}
)
TOP_ERRORS = 20
SLUG_ALIASES: dict[str, tuple[str, ...]] = {
    "meta-ai-fair": ("Meta AI", "FAIR"),
    "togethercompute": ("Together AI", "Together Compute"),
    "vllm-project": ("vLLM",),
}
"""Silver slugs that are not a name (a team joined to its company, a handle): the names the
summaries use for them. Gold side only; found by reading the texts, not by scoring."""

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class AinewsDocument:
    id: str
    date: str | None
    title: str | None
    text: str
    labels: dict[str, tuple[str, ...]]


def name_key(name: str, entity_type: str) -> str:
    """The primary normalised form of a name (see the module docstring); groups predictions."""
    words = [w.lower() for w in _WORD.findall(name)]
    if entity_type == "Organization":
        while len(words) > 1 and words[-1] in ORG_SUFFIXES and len("".join(words[:-1])) >= 3:
            words.pop()
    return "".join(words)


def name_keys(name: str, entity_type: str) -> frozenset[str]:
    """Every form a name is compared in: :func:`name_key` and, for organisations, the unstripped
    concatenation too, so that "Mistral AI" meets the slug ``mistralai`` as well as ``mistral-ai``."""
    keys = {name_key(name, entity_type), "".join(w.lower() for w in _WORD.findall(name))}
    return frozenset(k for k in keys if k)


def text_words(text: str) -> list[tuple[str, bool]]:
    """The text's words, lowercased, each with whether it was written with a capital or a digit."""
    return [(w.lower(), any(c.isupper() or c.isdigit() for c in w)) for w in _WORD.findall(text)]


def occurs_in(key: str, words: list[tuple[str, bool]]) -> bool:
    """True if ``key`` is the concatenation of consecutive words, one of them capitalised or numeric."""
    if not key:
        return False
    for i, (first, _) in enumerate(words):
        if not key.startswith(first):
            continue
        joined, marked = "", False
        for word, has_mark in words[i:]:
            joined += word
            marked = marked or has_mark
            if len(joined) >= len(key):
                break
        if joined == key and marked:
            return True
    return False


def slug_keys(slug: str, entity_type: str) -> frozenset[str]:
    """Every key a silver slug may appear under: its own and those of its :data:`SLUG_ALIASES`."""
    names = (slug, *SLUG_ALIASES.get(slug, ()))
    return frozenset().union(*(name_keys(n, entity_type) for n in names))


def gold_in_text(doc: AinewsDocument, entity_type: str) -> dict[str, frozenset[str]]:
    """Slugs of one type that the text names (one per distinct key), each with its keys."""
    words = text_words(doc.text)
    gold: dict[str, frozenset[str]] = {}
    seen: set[str] = set()
    for slug in doc.labels.get(entity_type, ()):
        keys = slug_keys(slug, entity_type)
        if keys & seen:
            continue
        if any(occurs_in(key, words) for key in keys):
            gold[slug] = keys
            seen |= keys
    return gold


def parse_ainews(lines: Iterable[str]) -> Iterator[AinewsDocument]:
    """Documents of the JSON Lines file; blank lines skipped."""
    for line in lines:
        if not line.strip():
            continue
        data = json.loads(line)
        labels = {t: tuple(data.get(field) or ()) for t, field in LABEL_FIELDS.items()}
        yield AinewsDocument(str(data["id"]), data.get("date"), data.get("title"), data["text"], labels)


def read_ainews(path: Path, limit: int | None = None) -> Iterator[AinewsDocument]:
    """Documents of ``descriptions-*.jsonl`` (or of the only ``.jsonl`` in a folder)."""
    if path.is_dir():
        candidates = sorted(path.glob("descriptions-*.jsonl")) or sorted(path.glob("*.jsonl"))
        if not candidates:
            raise FileNotFoundError(f"no .jsonl file in {path}")
        path = candidates[0]
    with path.open(encoding="utf-8") as handle:
        for i, doc in enumerate(parse_ainews(handle)):
            if limit is not None and i >= limit:
                return
            yield doc


@dataclass(slots=True)
class TypeTotals:
    score: Score
    misses: Counter[str]
    false_hits: Counter[str]


def score_type(
    gold: dict[str, frozenset[str]], predicted: Iterable[NamedEntity], entity_type: str
) -> tuple[Score, list[str], list[str]]:
    """Score one document for one type; returns the score, missed slugs and wrong names."""
    by_key: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    for entity in predicted:
        if entity.type != entity_type:
            continue
        key = name_key(entity.name, entity_type)
        if not key:
            continue
        display.setdefault(key, entity.name)
        forms = by_key.setdefault(key, set())
        for form in (entity.name, *entity.forms):
            forms.update(name_keys(form, entity_type))
    gold_keys = frozenset().union(*gold.values())
    predicted_keys = set().union(*by_key.values())
    correct = {key for key, forms in by_key.items() if forms & gold_keys}
    found = [slug for slug, keys in gold.items() if keys & predicted_keys]
    score = Score(len(correct), len(by_key), len(found), len(gold))
    misses = [slug for slug in gold if slug not in found]
    false_hits = [display[key] for key in by_key if key not in correct]
    return score, misses, false_hits


def evaluate(
    docs: Iterable[AinewsDocument],
    predictor: NamePredictor,
    *,
    batch_size: int = 32,
    tick: Tick | None = None,
) -> dict[str, Any]:
    """Per-type document-level P/R/F1 with the commonest misses and false hits."""
    totals = {t: TypeTotals(Score(), Counter(), Counter()) for t in TYPES}
    n_docs = 0
    labels_total = {t: 0 for t in TYPES}
    for doc, predicted in predict_each(
        docs, lambda d: d.text, predictor.predict_names, predictor, batch_size=batch_size, tick=tick
    ):
        for entity_type in TYPES:
            gold = gold_in_text(doc, entity_type)
            score, misses, false_hits = score_type(gold, predicted, entity_type)
            totals[entity_type].score += score
            totals[entity_type].misses.update(misses)
            totals[entity_type].false_hits.update(false_hits)
            labels_total[entity_type] += len(doc.labels.get(entity_type, ()))
        n_docs += 1
    section: dict[str, Any] = {}
    for entity_type, t in totals.items():
        section[entity_type] = {
            **t.score.as_dict(),
            "silver_labels": labels_total[entity_type],
            "top_misses": t.misses.most_common(TOP_ERRORS),
            "top_false_hits": t.false_hits.most_common(TOP_ERRORS),
        }
    section["micro"] = total(t.score for t in totals.values()).as_dict()
    section["counts"] = {"documents": n_docs}
    return section


def render(systems: dict[str, dict[str, Any]]) -> str:
    """P/R/F1 per type, then each type's ten commonest misses and false hits."""
    lines = score_table(systems, (*TYPES, "micro"))
    for system, section in systems.items():
        for entity_type in TYPES:
            misses = ", ".join(f"{k} ({n})" for k, n in section[entity_type]["top_misses"][:10])
            hits = ", ".join(f"{k} ({n})" for k, n in section[entity_type]["top_false_hits"][:10])
            lines.append(f"\n{system} {entity_type} commonest misses: {misses or '-'}")
            lines.append(f"{system} {entity_type} commonest false hits: {hits or '-'}")
    return "\n".join(lines)

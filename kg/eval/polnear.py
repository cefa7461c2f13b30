"""PolNeAR: who said what, scored like CofeNet (COLING 2022, Table 6) but on whole articles.

Gold: brat standoff, one ``.txt`` per article under ``text/`` and one ``.ann`` per annotator
under ``attributions/`` (``<name>_<annotator>.ann``). Every ``E`` line is an attribution whose
``Source``/``Cue``/``Content`` (and ``Content2``) arguments point at ``T`` lines.

Protocol (``docs/evaluation.md`` has the reasons):

* spans are compared per role (source, cue, content), each role on its own, as CofeNet does;
  which attribution a span belongs to is not checked;
* a ``T`` with several fragments becomes one span where the gaps hold only whitespace or
  punctuation (brat splits at line breaks) and several spans where words are skipped;
* every span, gold or predicted, is trimmed of whitespace and punctuation at both edges, and
  the gold spans of a role form a set (a source shared by three attributions counts once);
  two more exact figures put the trimming aside (``FORMS``): ``exact-untrimmed`` compares spans
  as annotated and as predicted (fragments merged, whitespace stripped, nothing else), and
  ``exact-convention`` brings both sides to newskg's span convention
  (:func:`kg.extract.attribution.statement_span`: a quotation without its quote marks but with
  its final period, reported speech without final punctuation, sources and cues without joining
  punctuation), the form ``kg extract`` writes;
* ``direct-quotes``: the content role restricted, on both sides, to direct quotations (a span
  that opens with a quote mark or right after one), exact (convention) and overlap;
* ``exact``: identical trimmed boundaries; ``overlap``: at least one shared character;
  ``proportional``: best intersection-over-union, summed (CofeNet's "jaccard" as P/R/F1), and
  CofeNet's single jaccard figure beside it;
* a text annotated by k annotators is scored against each file with weight ``1/k``, so every
  text weighs the same and no annotator is preferred; counts are then summed (micro-average).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.eval.metrics import Score, cofenet_jaccard_counts, exact_match, overlap_match, prf_cells, proportional_match
from kg.eval.predictors import Attribution, AttributionPredictor
from kg.eval.runner import Tick, predict_each
from kg.eval.spans import Span, merge_fragments, normalized_spans, trim_span
from kg.extract.attribution import statement_span

NAME = "polnear"
PROTOCOL = "newskg-eval/polnear/1"
ROLES: tuple[str, ...] = ("source", "cue", "content")
MATCHES: tuple[str, ...] = ("exact", "overlap", "proportional")
#: Span forms besides the trimmed one, each scored by exact match (module docstring).
FORMS: tuple[str, ...] = ("untrimmed", "convention")
_QUOTE_MARKS = frozenset("“”\"«»‘’'")

# Exact-match F1 on the PolNeAR test split, CofeNet (Wang et al., COLING 2022), Table 6.
PUBLISHED_EXACT_F1: dict[str, dict[str, float | None]] = {
    "Rule baseline": {"source": 10.7, "cue": 22.8, "content": 5.6},
    "Stanford CoreNLP": {"source": 13.9, "cue": None, "content": 17.5},
    "BiLSTM-CRF": {"source": 69.6, "cue": 66.7, "content": 59.0},
    "BERT-CRF": {"source": 82.2, "cue": 74.9, "content": 71.0},
    "BERT-CofeNet": {"source": 83.2, "cue": 75.3, "content": 72.9},
}

_ROLE_OF_ARGUMENT = {"source": "source", "cue": "cue", "content": "content", "content2": "content"}
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ANN_NAME = re.compile(r"^(?P<name>.+?)(?:_(?P<annotator>[0-9a-f]{4}))?\.ann$")


@dataclass(frozen=True, slots=True)
class TextBound:
    """A brat ``T`` annotation: its label and its fragments as written in the file."""

    id: str
    label: str
    fragments: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    id: str
    source: tuple[TextBound, ...]
    cue: tuple[TextBound, ...]
    content: tuple[TextBound, ...]


@dataclass(frozen=True, slots=True)
class AnnotatorFile:
    annotator: str
    attributions: tuple[GoldAttribution, ...]


@dataclass(frozen=True, slots=True)
class PolnearDocument:
    name: str
    text: str
    annotations: tuple[AnnotatorFile, ...]


def parse_ann(lines: Iterable[str]) -> list[GoldAttribution]:
    """Attributions of one brat ``.ann`` file; lines that are not ``T``/``E`` are ignored.

    Surface strings may contain line breaks (continuation lines): only offsets are used.
    """
    bounds: dict[str, TextBound] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in lines:
        if match := _T_LINE.match(line):
            fragments = tuple(
                (int(a), int(b)) for a, b in (part.split() for part in match.group(3).split(";"))
            )
            bounds[match.group(1)] = TextBound(match.group(1), match.group(2), fragments)
        elif match := _E_LINE.match(line.rstrip("\n")):
            pairs = (arg.partition(":") for arg in match.group(2).split())
            events.append((match.group(1), [(role, target) for role, sep, target in pairs if sep]))
    attributions = []
    for event_id, arguments in events:
        parts: dict[str, list[TextBound]] = {role: [] for role in ROLES}
        for argument, target in arguments:
            role = _ROLE_OF_ARGUMENT.get(argument.lower())
            if role and target in bounds:
                parts[role].append(bounds[target])
        attributions.append(GoldAttribution(event_id, *(tuple(parts[role]) for role in ROLES)))
    return attributions


def _layout(path: Path) -> tuple[Path, Path]:
    """(text folder, annotation folder): PolNeAR's ``text/`` + ``attributions/`` or one flat folder."""
    if (path / "text").is_dir() and (path / "attributions").is_dir():
        return path / "text", path / "attributions"
    return path, path


def read_polnear(path: Path, limit: int | None = None) -> Iterator[PolnearDocument]:
    """Documents of one split folder, sorted by name; texts without any ``.ann`` are skipped."""
    text_dir, ann_dir = _layout(path)
    files: dict[str, list[tuple[str, Path]]] = {}
    for ann_path in sorted(ann_dir.glob("*.ann")):
        if match := _ANN_NAME.match(ann_path.name):
            files.setdefault(match.group("name"), []).append((match.group("annotator") or "", ann_path))
    count = 0
    for txt_path in sorted(text_dir.glob("*.txt")):
        if limit is not None and count >= limit:
            return
        annotator_files = files.get(txt_path.stem)
        if not annotator_files:
            continue
        text = txt_path.read_text(encoding="utf-8")
        annotations = tuple(
            AnnotatorFile(annotator, tuple(parse_ann(ann.read_text(encoding="utf-8").splitlines())))
            for annotator, ann in annotator_files
        )
        count += 1
        yield PolnearDocument(txt_path.stem, text, annotations)


def gold_spans(text: str, attributions: Iterable[GoldAttribution], form: str = "trimmed") -> dict[str, set[Span]]:
    """Gold spans per role, as sets, in ``form``: "trimmed" (the default), "untrimmed" or "convention"."""
    spans: dict[str, set[Span]] = {role: set() for role in ROLES}
    for attribution in attributions:
        for role in ROLES:
            for bound in getattr(attribution, role):
                if form == "trimmed":
                    spans[role].update(normalized_spans(text, bound.fragments))
                else:
                    spans[role].update(s for s in (in_form(text, a, b, role, form) for a, b in merge_fragments(text, bound.fragments)) if s)
    return spans


def predicted_spans(text: str, attributions: Iterable[Attribution], form: str = "trimmed") -> dict[str, set[Span]]:
    """Predicted spans per role, as sets, in ``form`` (see :func:`gold_spans`)."""
    spans: dict[str, set[Span]] = {role: set() for role in ROLES}
    for attribution in attributions:
        for role in ROLES:
            span = getattr(attribution, role)
            if span is not None and (shaped := in_form(text, *span, role, form)):
                spans[role].add(shaped)
    return spans


def in_form(text: str, start: int, end: int, role: str, form: str) -> Span | None:
    """One span as the evaluation compares it in ``form``."""
    if form == "trimmed":
        return trim_span(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if form == "untrimmed":
        return (start, end) if start < end else None
    return statement_span(text, start, end, direct=role == "content" and is_direct_quote(text, start, end))


def is_direct_quote(text: str, start: int, end: int) -> bool:
    """A quotation: the span opens with a quote mark or right after one (spaces aside)."""
    before = start
    while before > 0 and text[before - 1] == " ":
        before -= 1
    return start < end and (text[start] in _QUOTE_MARKS or (before > 0 and text[before - 1] in _QUOTE_MARKS and text[before - 1] not in "’'"))


_MATCHERS = {"exact": exact_match, "overlap": overlap_match, "proportional": proportional_match}


@dataclass(slots=True)
class PolnearTotals:
    """Running sums over documents."""

    scores: dict[str, dict[str, Score]]
    jaccard: dict[str, list[float]]
    forms: dict[str, dict[str, Score]] = field(default_factory=lambda: {f: {r: Score() for r in ROLES} for f in FORMS})
    quotes: dict[str, Score] = field(default_factory=lambda: {"exact": Score(), "overlap": Score()})
    texts: int = 0
    annotator_files: int = 0
    multi_annotated_texts: int = 0
    gold_attributions: float = 0.0
    predicted_attributions: int = 0

    @classmethod
    def empty(cls) -> PolnearTotals:
        return cls({m: {r: Score() for r in ROLES} for m in MATCHES}, {r: [0.0, 0.0] for r in ROLES})


def score_document(doc: PolnearDocument, prediction: Sequence[Attribution], totals: PolnearTotals) -> None:
    """Add one document's counts: against each annotator file with weight 1/k."""
    pred = predicted_spans(doc.text, prediction)
    pred_forms = {form: predicted_spans(doc.text, prediction, form) for form in FORMS}
    pred_quotes = {s for s in pred_forms["convention"]["content"] if is_direct_quote(doc.text, *s)}
    weight = 1.0 / len(doc.annotations)
    for annotation in doc.annotations:
        gold = gold_spans(doc.text, annotation.attributions)
        for form in FORMS:
            gold_form = gold_spans(doc.text, annotation.attributions, form)
            for role in ROLES:
                totals.forms[form][role] += exact_match(gold_form[role], pred_forms[form][role]).scaled(weight)
        gold_quotes = {s for s in gold_spans(doc.text, annotation.attributions, "convention")["content"] if is_direct_quote(doc.text, *s)}
        totals.quotes["exact"] += exact_match(gold_quotes, pred_quotes).scaled(weight)
        totals.quotes["overlap"] += overlap_match(gold_quotes, pred_quotes).scaled(weight)
        for role in ROLES:
            for match, matcher in _MATCHERS.items():
                totals.scores[match][role] += matcher(gold[role], pred[role]).scaled(weight)
            credit, count = cofenet_jaccard_counts(gold[role], pred[role])
            totals.jaccard[role][0] += credit * weight
            totals.jaccard[role][1] += count * weight
        totals.gold_attributions += len(annotation.attributions) * weight
    totals.texts += 1
    totals.annotator_files += len(doc.annotations)
    totals.multi_annotated_texts += len(doc.annotations) > 1
    totals.predicted_attributions += len(prediction)


def evaluate(
    docs: Iterable[PolnearDocument],
    predictor: AttributionPredictor,
    *,
    batch_size: int = 8,
    tick: Tick | None = None,
) -> dict[str, Any]:
    """Scores of one system on the documents, as a report section."""
    totals = PolnearTotals.empty()
    for doc, prediction in predict_each(
        docs, lambda d: d.text, predictor.predict_attributions, predictor, batch_size=batch_size, tick=tick
    ):
        score_document(doc, prediction, totals)
    section: dict[str, Any] = {
        match: {role: totals.scores[match][role].as_dict() for role in ROLES} for match in MATCHES
    }
    for form in FORMS:
        section[f"exact-{form}"] = {role: totals.forms[form][role].as_dict() for role in ROLES}
    section["direct_quotes"] = {match: totals.quotes[match].as_dict() for match in ("exact", "overlap")}
    section["cofenet_jaccard"] = {
        role: round(credit / count, 4) if count else 0.0 for role, (credit, count) in totals.jaccard.items()
    }
    section["counts"] = {
        "texts": totals.texts,
        "annotator_files": totals.annotator_files,
        "multi_annotated_texts": totals.multi_annotated_texts,
        "gold_attributions": round(totals.gold_attributions, 2),
        "predicted_attributions": totals.predicted_attributions,
    }
    return section


def render(systems: dict[str, dict[str, Any]]) -> str:
    """A plain-text table: P/R/F1 in percent per match rule and role, then the published F1s."""
    head = f"{'match':<13}{'system':<16}" + "".join(f"{role.capitalize():<21}" for role in ROLES)
    sub = f"{'':<29}" + "".join(f"{'P':>6}{'R':>6}{'F1':>6}   " for _ in ROLES)
    lines = [head, sub]
    rows = [(match, match) for match in MATCHES] + [(f"exact-{form}", "exact-" + form[:6]) for form in FORMS]
    for key, name in rows:
        for system, section in systems.items():
            cells = "".join(f"{prf_cells(section[key][r])}   " for r in ROLES)
            lines.append(f"{name:<13}{system:<16}{cells}")
    for system, section in systems.items():
        quotes = section["direct_quotes"]
        cells = "".join(f"{m} P/R/F1 {100 * quotes[m]['precision']:.1f}/{100 * quotes[m]['recall']:.1f}/{100 * quotes[m]['f1']:.1f}   " for m in quotes)
        lines.append(f"{'quotes':<13}{system:<16}content, direct quotations only: {cells}")
    for system, section in systems.items():
        jac = "".join(f"{100 * section['cofenet_jaccard'][r]:18.1f}   " for r in ROLES)
        lines.append(f"{'jaccard':<13}{system:<16}{jac}")
    lines.append("")
    lines.append("Published exact-match F1, PolNeAR test (CofeNet, COLING 2022, Table 6):")
    for system, figures in PUBLISHED_EXACT_F1.items():
        cells = "".join(f"{'–' if figures[r] is None else f'{figures[r]:.1f}':>18}   " for r in ROLES)
        lines.append(f"{'exact':<13}{system:<16}{cells}")
    for system, section in systems.items():
        c = section["counts"]
        lines.append(
            f"\n{system}: {c['texts']} texts, {c['annotator_files']} annotator files "
            f"({c['multi_annotated_texts']} texts with several, weighted 1/k), "
            f"{c['gold_attributions']} gold and {c['predicted_attributions']} predicted attributions"
        )
    return "\n".join(lines)

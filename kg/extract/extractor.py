"""Turn parsed articles into graph-document records: entities, mentions and claims with provenance.

The spaCy components find spans (``doc.ents``) and claims (``doc._.newskg_claims``) as character
offsets; this module names the entities (canonical name, stable id, within-article aliases),
and builds :class:`~kg.document.ClaimRecord` objects carrying article, sentence, span, evidence
sentence and confidence.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from kg.articles import Article, article_from_text
from kg.document import ArticleRecord, ClaimRecord, EntityRecord, MentionRecord, Record
from kg.extract.claims_component import DocClaims
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.naming import clean_surface, entity_id, name_key
from kg.extract.pipeline import rule_confidence
from kg.extract.spans import CharSpan, EntityRef, doc_text

DEFAULT_BATCH_SIZE = 32


@dataclass(slots=True)
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    entities: list[EntityRecord] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)

    def article_record(self) -> ArticleRecord:
        a = self.article
        return ArticleRecord(
            id=a.id, title=a.title, published=a.published, source=a.source, url=a.url, path=a.path,
            content_hash=a.content_hash, text=a.text, author=a.author,
        )

    def records(self) -> Iterator[Record]:
        """The article's records in graph-document order: article, entities, mentions, claims."""
        yield self.article_record()
        yield from self.entities
        yield from self.mentions
        yield from self.claims


def extract_articles(
    nlp: Language,
    articles: Iterable[Article],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> Iterator[ArticleResult]:
    """Extract from a stream of articles with ``nlp.pipe`` batching (optionally in several processes)."""
    builder = RecordBuilder(load_lexicon(_lexicon_dir(nlp)), rule_confidence(nlp))
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield builder.build(doc, article)


def extract_text(nlp: Language, text: str, **metadata: str | None) -> ArticleResult:
    """Extract from one text (tests, evaluation, the Python API)."""
    article = article_from_text(text, **metadata)
    return next(extract_articles(nlp, [article], batch_size=1))


def _lexicon_dir(nlp: Language) -> str | None:
    for name in nlp.pipe_names:
        config = nlp.get_pipe_config(name)
        if "lexicon_dir" in config:
            return config["lexicon_dir"]
    return None


class RecordBuilder:
    """Names entities and turns one parsed doc into records."""

    def __init__(self, lexicon: Lexicon, confidence: dict[str, float]) -> None:
        self.lexicon = lexicon
        self.confidence = confidence

    def build(self, doc: Doc, article: Article) -> ArticleResult:
        result = ArticleResult(article)
        sentences = list(doc.sents)
        sentence_of_char = _sentence_lookup(doc)
        naming = self._name_entities(doc)
        entities: dict[str, EntityRecord] = {}
        for ent in doc.ents:
            eid, record = naming[(ent.start_char, ent.end_char)]
            if eid not in entities:
                entities[eid] = record
            result.mentions.append(
                MentionRecord(entity=eid, article=article.id, start=ent.start_char, end=ent.end_char, text=ent.text, sentence=sentence_of_char(ent.start_char))
            )
        result.entities = sorted(entities.values(), key=lambda e: e.id)
        claims: DocClaims | None = doc._.newskg_claims
        if claims is not None:
            result.claims = self._claims(doc, article, claims, naming, sentences)
        return result

    # -- entities --------------------------------------------------------------------------
    def _name_entities(self, doc: Doc) -> dict[CharSpan, tuple[str, EntityRecord]]:
        """Canonical name and id for every entity mention, with aliases seen in this article."""
        meta: dict[CharSpan, tuple[str, str]] = doc._.newskg_entity_meta or {}
        canonical: dict[CharSpan, tuple[str, str]] = {}  # span -> (type, canonical name)
        full_people = [clean_surface(e.text) for e in doc.ents if e.label_ == "Person" and len(clean_surface(e.text).split()) > 1]
        org_names = [clean_surface(e.text) for e in doc.ents if e.label_ == "Organization"]
        for ent in doc.ents:
            key = (ent.start_char, ent.end_char)
            surface = clean_surface(meta.get(key, ("", ent.text))[1] or ent.text)
            label = ent.label_
            if label == "Organization":
                name = self.lexicon.canonical_organization(surface) or _longer_form(surface, org_names, self.lexicon) or surface
            elif label == "Person":
                name = _full_name(surface, full_people)
            elif label == "Model":
                name = surface
            else:
                name = surface
            canonical[key] = (label, name)
        # Display name: the most frequent surface form among mentions with the same id (stable tie-break).
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        types: dict[str, str] = {}
        names: dict[str, str] = {}
        for key, (label, name) in canonical.items():
            eid = entity_id(label, name)
            types[eid] = label
            names.setdefault(eid, name)
            surfaces[eid][clean_surface(doc_text(doc)[key[0] : key[1]])] += 1
        records: dict[str, EntityRecord] = {}
        for eid, label in types.items():
            name = names[eid]
            aliases = sorted(s for s in surfaces[eid] if s != name and s)
            records[eid] = EntityRecord(id=eid, type=label, name=name, aliases=aliases, attributes=self._attributes(label, name))
        return {key: (entity_id(label, name), records[entity_id(label, name)]) for key, (label, name) in canonical.items()}

    def _attributes(self, label: str, name: str) -> dict[str, str]:
        if label == "Model":
            family = _family_of(name, self.lexicon)
            if family is not None:
                attrs = {"family": family.family}
                if family.developer:
                    attrs["known_developer"] = family.developer
                return attrs
        if label == "Organization":
            for org in self.lexicon.organizations:
                if org.name == name and org.kind:
                    return {"kind": org.kind}
        return {}

    # -- claims ----------------------------------------------------------------------------
    def _claims(self, doc: Doc, article: Article, found: DocClaims, naming: dict[CharSpan, tuple[str, EntityRecord]], sentences: list) -> list[ClaimRecord]:
        claims: list[ClaimRecord] = []

        def entity_of(ref: EntityRef | None) -> str | None:
            if ref is None:
                return None
            hit = naming.get((ref.start, ref.end))
            return hit[0] if hit else None

        def evidence(sentence: int) -> str:
            return sentences[sentence].text.strip() if 0 <= sentence < len(sentences) else ""

        for rel in found.releases:
            org, model = entity_of(rel.organization), entity_of(rel.model)
            if org is None or model is None:
                continue
            start, end = _cover(rel.organization[:2], rel.model[:2], rel.cue)
            claims.append(self._claim("RELEASED", f"released|{org}|{model}|{rel.status}", org, model, article, rel.sentence, start, end, rel.rule, evidence(rel.sentence), status=rel.status))
        for dev in found.developments:
            org, model = entity_of(dev.organization), entity_of(dev.model)
            if org is None or model is None:
                continue
            start, end = _cover(dev.organization[:2], dev.model[:2])
            claims.append(self._claim("DEVELOPS", f"develops|{org}|{model}", org, model, article, dev.sentence, start, end, dev.rule, evidence(dev.sentence)))
        for aff in found.affiliations:
            person, org = entity_of(aff.person), entity_of(aff.organization)
            if person is None or org is None:
                continue
            start, end = _cover(aff.person[:2], aff.organization[:2])
            claims.append(self._claim("AFFILIATED_WITH", f"affiliated_with|{person}|{org}", person, org, article, aff.sentence, start, end, aff.rule, evidence(aff.sentence), role=aff.role))
        for att in found.attributions:
            speaker = entity_of(att.speaker)
            source_text = doc_text(doc)[att.source[0] : att.source[1]] if att.source else None
            statement = _statement_text(doc_text(doc)[att.content[0] : att.content[1]])
            about = sorted({naming[(e.start_char, e.end_char)][0] for e in doc.ents if att.content[0] <= e.start_char and e.end_char <= att.content[1]})
            who = speaker or f"text:{name_key(source_text or 'unknown')}"
            spans = {"cue": list(att.cue), "content": list(att.content)}
            if att.source:
                spans["source"] = list(att.source)
            start, end = _cover(*(tuple(s) for s in spans.values()))
            claims.append(
                self._claim(
                    "SAID", f"said|{who}|{_digest(name_key(statement))}", speaker, None, article, att.sentence, start, end, att.rule, evidence(att.sentence),
                    statement=statement, cue=doc_text(doc)[att.cue[0] : att.cue[1]], source_text=source_text, direct=att.direct, spans=spans, about=about,
                )
            )
        return claims

    def _claim(self, kind: str, fact: str, subject: str | None, obj: str | None, article: Article, sentence: int, start: int, end: int, rule: str, evidence: str, **extra: object) -> ClaimRecord:
        report_id = "c-" + _digest(f"{article.id}|{kind}|{fact}|{start}|{end}")
        return ClaimRecord(
            id=report_id, fact=fact, type=kind, subject=subject, object=obj, article=article.id, sentence=sentence,
            start=start, end=end, confidence=self.confidence.get(rule, 0.5), evidence=evidence, rule=rule, **extra,  # type: ignore[arg-type]
        )


def _family_of(name: str, lexicon: Lexicon):  # type: ignore[no-untyped-def]
    lowered = name.lower()
    for family in lexicon.model_families:  # longest stems first
        if lowered.startswith(family.stem.lower()):
            return family
    return None


def _full_name(surface: str, full_people: list[str]) -> str:
    """A one-word person mention joins the only full name in the article that ends with it."""
    if " " in surface:
        return surface
    matches = {p for p in full_people if p.split()[-1] == surface}
    return matches.pop() if len(matches) == 1 else surface


def _longer_form(surface: str, org_names: list[str], lexicon: Lexicon) -> str | None:
    """"Zhipu" joins "Zhipu AI" when the article names the longer form too."""
    longer = {n for n in org_names if n != surface and n.startswith(surface + " ")}
    if len(longer) != 1:
        return None
    name = longer.pop()
    return lexicon.canonical_organization(name) or name


def _statement_text(text: str) -> str:
    """The statement for display: quote marks and a leading complementizer ("that") removed."""
    text = " ".join(text.strip().strip("“”\"'‘’").split())
    return text[5:] if text[:5].lower() == "that " else text


def _cover(*spans: CharSpan | tuple[int, ...]) -> tuple[int, int]:
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _sentence_lookup(doc: Doc):  # type: ignore[no-untyped-def]
    starts = [sent.start_char for sent in doc.sents]
    import bisect

    def sentence_of(char: int) -> int:
        return max(0, bisect.bisect_right(starts, char) - 1)

    return sentence_of

"""Turn parsed articles into graph-document records: entities, mentions and claims with provenance.

The spaCy components find spans (``doc.ents``) and claims (``doc._.newskg_claims``) as character
offsets; this module names the entities (canonical name, stable id, within-article aliases),
and builds :class:`~kg.document.ClaimRecord` objects carrying article, sentence, span, evidence
sentence and confidence.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.articles.build import article_from_text
from kg.articles.model import Article
from kg.document import ArticleRecord, ClaimRecord, EntityRecord, MentionRecord, Record
from kg.extract.budget import ArticleTimeout, seconds_for, time_budget
from kg.extract.claims_component import DocClaims
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.naming import clean_surface, entity_id, model_entity_id, name_key, strip_corporate_suffix
from kg.extract.pipeline import claim_finder
from kg.extract.spans import CharSpan, EntityRef, doc_text, sentence_numbers, sentence_of_char
from kg.extract.resolution_data import ResolutionData, load_resolution_data
from kg.extract.names import find_learned_aliases, product_name
from kg.schema import ClaimType, EntityType, ReleaseStatus, fact_key

DEFAULT_BATCH_SIZE = 32
#: An article of more than this many tokens (estimated: words plus punctuation marks) is parsed
#: in sections of about this many, cut at paragraph (else line, sentence, word) boundaries, and
#: the sections' records are joined: spaCy refuses texts over 1,000,000 characters (E088), and
#: its memory grows with the tokens of a batch (about 15 KB a token). Ordinary news text has
#: about 5 characters a token (4,000 tokens: 20,000 characters); a run of punctuation has one.
SECTION_TOKENS = 4_000
#: ``nlp.pipe`` batches hold at most this many (estimated) tokens besides ``batch_size``
#: articles, so that a batch of long or punctuation-dense articles cannot take the memory of
#: many short ones (16,000 tokens: about 250 MB in a worker).
BATCH_TOKENS = 16_000
_TOKENISH = re.compile(r"\w+|[^\w\s]")
#: Entity mentions longer than this (characters) are not names (a run of markup, a table row the
#: model took for one): they are dropped before naming, which also bounds entity ids.
MAX_ENTITY_CHARS = 120


@dataclass(slots=True)
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    entities: list[EntityRecord] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    #: why extraction failed for this article (then it has no records); None when it succeeded
    error: str | None = None

    def article_record(self) -> ArticleRecord:
        a = self.article
        return ArticleRecord(
            id=a.id, title=a.title, published=a.published, source=a.source, url=a.url, path=a.path,
            content_hash=a.content_hash, text=a.text, author=a.author, body_hash=a.body_hash,
        )

    def records(self) -> Iterator[Record]:
        """The article's records in graph-document order: article, entities, mentions, claims
        (none for an article whose extraction failed)."""
        if self.error is not None:
            return
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
    """Extract from a stream of articles with ``nlp.pipe`` batching, one result per article, in order.

    Failures are per article: an article whose extraction raises or runs past its time budget
    (:mod:`kg.extract.budget`) gives a result with ``error`` set and no records, and the others
    in its batch are extracted again one by one. Articles over :data:`SECTION_CHARS` are parsed
    in sections. ``n_process`` is accepted for compatibility and ignored: use
    :class:`kg.distributed.ProcessExecutor` for parallel extraction.
    """
    builder = RecordBuilder.for_pipeline(nlp)
    for batch, tokens in _batches(articles, batch_size):
        if len(batch) == 1 and tokens > SECTION_TOKENS:
            yield _guarded(lambda: _extract_sectioned(nlp, builder, batch[0], tokens), batch[0])
            continue
        try:
            with time_budget(seconds_for(sum(len(a.text) for a in batch))):
                results = [builder.build(doc, article) for doc, article in nlp.pipe(((a.text, a) for a in batch), as_tuples=True, batch_size=len(batch))]
        except Exception:  # noqa: BLE001 - find the article at fault: extract them one by one
            results = [_guarded(lambda a=article: _extract_one(nlp, builder, a), article) for article in batch]
        yield from results


def estimate_tokens(text: str) -> int:
    """About the number of spaCy tokens of ``text`` (words and punctuation marks), in linear time."""
    return sum(1 for _ in _TOKENISH.finditer(text))


def _batches(articles: Iterable[Article], batch_size: int) -> Iterator[tuple[list[Article], int]]:
    """``(articles, tokens)``: at most ``batch_size`` articles and BATCH_TOKENS estimated tokens a
    batch; an article to be sectioned (over SECTION_TOKENS) comes alone."""
    batch: list[Article] = []
    tokens = 0
    for article in articles:
        size = estimate_tokens(article.text)
        if size > SECTION_TOKENS:
            if batch:
                yield batch, tokens
                batch, tokens = [], 0
            yield [article], size
            continue
        if batch and (len(batch) >= batch_size or tokens + size > BATCH_TOKENS):
            yield batch, tokens
            batch, tokens = [], 0
        batch.append(article)
        tokens += size
    if batch:
        yield batch, tokens


def _extract_one(nlp: Language, builder: RecordBuilder, article: Article) -> ArticleResult:
    with time_budget(seconds_for(len(article.text))):
        return builder.build(nlp(article.text), article)


def _guarded(extract, article: Article) -> ArticleResult:  # type: ignore[no-untyped-def]
    """``extract()``, or a failed result naming the error (one line, no traceback)."""
    try:
        return extract()
    except MemoryError:
        return ArticleResult(article, error="extraction ran out of memory")
    except ArticleTimeout as exc:
        return ArticleResult(article, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one article never stops a run
        message = " ".join(str(exc).split())[:300]
        return ArticleResult(article, error=f"extraction failed ({type(exc).__name__}: {message})")


def split_sections(text: str, limit: int) -> list[tuple[int, str]]:
    """``(offset, section)`` pairs that concatenate to ``text``, each at most ``limit`` characters,
    cut at the last paragraph break, else line break, sentence end or space in a section's
    second half (a hard cut only when there is none)."""
    sections: list[tuple[int, str]] = []
    start, total = 0, len(text)
    while start < total:
        end = min(start + limit, total)
        if end < total:
            floor = start + limit // 2
            for mark, keep in (("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0)):
                cut = text.rfind(mark, floor, end)
                if cut > start:
                    end = cut + keep
                    break
        sections.append((start, text[start:end]))
        start = end
    return sections


def _extract_sectioned(nlp: Language, builder: RecordBuilder, article: Article, tokens: int) -> ArticleResult:
    """A long article, parsed section by section within one time budget; records joined with
    article-wide character offsets and sentence numbers. Each section's doc is dropped once its
    records are built, so memory is that of one section batch whatever the article's length."""
    merged = ArticleResult(article)
    entities: dict[str, EntityRecord] = {}
    sentences_before = 0
    # sections of about SECTION_TOKENS tokens: the character length that holds them in this text
    section_chars = max(1_000, int(len(article.text) * SECTION_TOKENS / max(1, tokens)))
    sections = split_sections(article.text, section_chars)
    per_batch = max(1, BATCH_TOKENS // SECTION_TOKENS)
    with time_budget(seconds_for(len(article.text))):
        for doc, offset in nlp.pipe(((text, offset) for offset, text in sections), as_tuples=True, batch_size=per_batch):
            part = builder.build(doc, article)
            _shift_into(merged, entities, part, article.id, offset, sentences_before)
            sentences_before += sum(1 for _ in doc.sents)
    merged.entities = sorted(entities.values(), key=lambda e: e.id)
    return merged


def _shift_into(merged: ArticleResult, entities: dict[str, EntityRecord], part: ArticleResult, article_id: str, chars: int, sentences: int) -> None:
    """Add one section's records to ``merged``, moved by ``chars`` characters and ``sentences`` sentences."""

    def moved_evidence(entry: object) -> object:
        if isinstance(entry, dict) and isinstance(entry.get("evidence"), dict) and "sentence" in entry["evidence"]:
            evidence = dict(entry["evidence"])
            evidence["sentence"] += sentences
            return {**entry, "evidence": evidence}
        return entry

    for entity in part.entities:
        merges = [moved_evidence(m) for m in entity.attributes.get("merges", ())]
        known = entities.get(entity.id)
        if known is None:
            attributes = dict(entity.attributes)
            if merges:
                attributes["merges"] = merges
            entities[entity.id] = EntityRecord(id=entity.id, type=entity.type, name=entity.name, aliases=list(entity.aliases), attributes=attributes)
            continue
        known.aliases = sorted(set(known.aliases) | set(entity.aliases))
        if merges:
            seen = {m.get("alias") for m in known.attributes.get("merges", ()) if isinstance(m, dict)}
            extra = [m for m in merges if isinstance(m, dict) and m.get("alias") not in seen]
            if extra:
                known.attributes["merges"] = sorted([*known.attributes.get("merges", ()), *extra], key=lambda m: str(m.get("alias")))
    for mention in part.mentions:
        mention.start += chars
        mention.end += chars
        mention.sentence += sentences
        merged.mentions.append(mention)
    for claim in part.claims:
        claim.start += chars
        claim.end += chars
        claim.sentence += sentences
        if claim.spans:
            claim.spans = {name: [span[0] + chars, span[1] + chars] for name, span in claim.spans.items()}
        claim.id = "c-" + _digest(f"{article_id}|{claim.type}|{claim.fact}|{claim.start}|{claim.end}")
        merged.claims.append(claim)


def extract_text(nlp: Language, text: str, **metadata: str | None) -> ArticleResult:
    """Extract from one text (tests, evaluation, the Python API)."""
    article = article_from_text(text, **metadata)
    result = next(extract_articles(nlp, [article], batch_size=1))
    if result.error is not None:
        raise RuntimeError(result.error)
    return result


class RecordBuilder:
    """Names entities and turns one parsed doc into records."""

    def __init__(self, lexicon: Lexicon, confidence: dict[str, float], resolution: ResolutionData | None = None) -> None:
        self.lexicon = lexicon
        self.confidence = confidence
        self.resolution = resolution or load_resolution_data()

    @classmethod
    def for_pipeline(cls, nlp: Language) -> RecordBuilder:
        """The builder for ``nlp``'s output: the data its claims component holds (the lexicon, the
        naming data, each rule's confidence), so a pipeline saved and loaded again names the same."""
        finder = claim_finder(nlp)
        if finder is None:
            return cls(load_lexicon(), {}, load_resolution_data())
        return cls(finder.lexicon, dict(finder.rule_confidence), finder.resolution)

    def build(self, doc: Doc, article: Article) -> ArticleResult:
        result = ArticleResult(article)
        if any(len(ent.text) > MAX_ENTITY_CHARS for ent in doc.ents):
            doc.ents = [ent for ent in doc.ents if len(ent.text) <= MAX_ENTITY_CHARS]
        sentences = list(doc.sents)
        sentence_of = sentence_of_char(doc)
        naming = self._name_entities(doc, article.id)
        entities: dict[str, EntityRecord] = {}
        meta = doc._.newskg_entity_meta or {}
        for ent in doc.ents:
            eid, record = naming[(ent.start_char, ent.end_char)]
            if eid not in entities:
                entities[eid] = record
            found = meta.get((ent.start_char, ent.end_char))
            confidence = found[2] if found is not None and len(found) > 2 else None
            result.mentions.append(
                MentionRecord(entity=eid, article=article.id, start=ent.start_char, end=ent.end_char, text=ent.text, sentence=sentence_of(ent.start_char), confidence=confidence)
            )
        result.entities = sorted(entities.values(), key=lambda e: e.id)
        claims: DocClaims | None = doc._.newskg_claims
        if claims is not None:
            result.claims = self._claims(doc, article, claims, naming, sentences)
        return result

    # -- entities --------------------------------------------------------------------------
    def _name_entities(self, doc: Doc, article_id: str | None = None) -> dict[CharSpan, tuple[str, EntityRecord]]:
        """Canonical name and id for every entity mention, with aliases seen in this article.

        Every mention whose own name differs from the canonical one records why it was merged
        (``attributes.merges``: alias, rule, evidence), so an analyst can check and undo it
        (``pipelines/gazetteers/do_not_merge.yml`` vetoes a pair of ids).
        """
        meta: dict[CharSpan, tuple[str, str]] = doc._.newskg_entity_meta or {}
        full_people = [clean_surface(e.text) for e in doc.ents if e.label_ == EntityType.PERSON and len(clean_surface(e.text).split()) > 1]
        org_names = [clean_surface(e.text) for e in doc.ents if e.label_ == EntityType.ORGANIZATION]
        sentences = list(doc.sents)
        sentence_index = sentence_numbers(sentences)
        choices: dict[CharSpan, _Naming] = {}
        for ent in doc.ents:
            key = (ent.start_char, ent.end_char)
            surface = clean_surface(meta.get(key, ("", ent.text))[1] or ent.text)
            choice = self._name_mention(doc, ent, surface, full_people, org_names)
            if choice.rule in _TEXT_RULES:
                choice.evidence = _text_evidence(article_id, sentence_index.get(ent.sent.start, 0), ent.sent.text)
            choices[key] = choice
        extra_aliases = self._learn_aliases(doc, choices, article_id, sentences)
        # Display name: the first canonical name seen for an id (stable: document order), from a
        # mention named as written when there is one ("GPT-4o" over the glued "GPT4o").
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        types: dict[str, str] = {}
        names: dict[str, str] = {}
        named_as_written: set[str] = set()
        merges: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
        products: dict[str, str] = {}
        for key, choice in choices.items():
            eid = choice.id
            types[eid] = choice.label
            if eid not in named_as_written and (eid not in names or choice.rule is None):
                names[eid] = choice.name
                if choice.rule is None:
                    named_as_written.add(eid)
            surface = clean_surface(doc_text(doc)[key[0] : key[1]])
            if choice.product_of:
                products[eid] = choice.product_of
                continue  # "DeepSeek" in "the DeepSeek app" is not a name of the app
            surfaces[eid][surface] += 1
            if choice.rule is not None and choice.own != eid and surface != choice.name:
                merges[eid].setdefault(surface, {"alias": surface, "rule": choice.rule, "evidence": choice.evidence, "id": choice.own})
        for eid, alias, entry in extra_aliases:
            surfaces[eid][alias] += 0
            merges[eid].setdefault(alias, entry)
        records: dict[str, EntityRecord] = {}
        for eid, label in types.items():
            name = names[eid]
            aliases = sorted(s for s in surfaces.get(eid, ()) if s != name and s)
            attributes: dict[str, object] = dict(self._attributes(label, name))
            if eid in products:
                attributes["product_of"] = products[eid]
            if merges[eid]:
                attributes["merges"] = [merges[eid][alias] for alias in sorted(merges[eid])]
            records[eid] = EntityRecord(id=eid, type=label, name=name, aliases=aliases, attributes=attributes)
        return {key: (choice.id, records[choice.id]) for key, choice in choices.items()}

    def _name_mention(self, doc: Doc, ent: Span, surface: str, full_people: list[str], org_names: list[str]) -> _Naming:
        """The canonical name of one mention, by the curated data and the in-article rules."""
        label = EntityType(ent.label_)
        res = self.resolution
        own = entity_id(label, clean_surface(ent.text) or surface)
        name, rule, evidence = surface, None, None
        if label == EntityType.ORGANIZATION:
            product = product_name(doc, ent, res)
            if product is not None:
                owner = self.lexicon.canonical_organization(surface) or surface
                return _Naming(EntityType.MODEL, product, entity_id(EntityType.MODEL, product), product_of=owner, stem=None)
            stripped = surface if surface in res.legal_form_names else strip_corporate_suffix(surface, res.corporate_suffixes)
            stripped_names = [strip_corporate_suffix(n, res.corporate_suffixes) for n in org_names]
            if (gazetteer := self._gazetteer_organization(surface) or self._gazetteer_organization(stripped)) is not None:
                name, rule, evidence = gazetteer, "gazetteer", f"gazetteers/organizations.yml: {gazetteer}"
            elif (longer := _longer_form(stripped, stripped_names, self.lexicon)) is not None:
                name, rule = longer, "longer-form"
            elif stripped != surface:
                name, rule, evidence = stripped, "corporate-suffix", f"lexicons/resolution.yml corporate_suffixes: {surface[len(stripped):].strip(' ,')}"
            if name not in res.legal_form_names:
                name = strip_corporate_suffix(name, res.corporate_suffixes)
        elif label == EntityType.PERSON:
            name = _full_name(surface, full_people)
            rule = "surname" if name != surface else None
        elif label == EntityType.MODEL:
            alias = res.canonical_model(surface)
            if alias is not None and alias != surface:
                name, rule, evidence = alias, "model-alias", f"gazetteers/models_aliases.yml: {alias}"
            elif clean_surface(ent.text) != surface:
                rule = "model-context"  # the model-name detector completed it ("R1" -> "DeepSeek R1")
        elif label == EntityType.PLACE:
            place = res.canonical_place(surface)
            if place is not None and place != surface:
                name, rule, evidence = place, "place-alias", f"gazetteers/places.yml: {place}"
        family = _family_of(name, self.lexicon) if label == EntityType.MODEL else None
        choice = _Naming(label, name, own, rule=rule, evidence=evidence, stem=family.stem if family else None)
        if rule is None and choice.own != choice.id and label == EntityType.MODEL and entity_id(label, name) != choice.id:
            choice.rule, choice.evidence = "glued-version", f"version split from the family stem {choice.stem!r}"
        if rule is not None and res.entities_blocked(choice.own, choice.id):
            return _Naming(label, surface, own, stem=choice.stem)
        return choice

    def _gazetteer_organization(self, surface: str) -> str | None:
        """The gazetteer's canonical name for ``surface``; a match that ignores case must not be an
        acronym ("Fair" in "World's Fair" is not FAIR, Meta's lab)."""
        spellings = self._org_spellings.get(surface.lower(), ())
        if surface in spellings or any(not s.isupper() for s in spellings):
            return self.lexicon.canonical_organization(surface)
        return None

    @cached_property
    def _org_spellings(self) -> dict[str, set[str]]:
        """Lower-cased gazetteer surface -> the spellings the gazetteer lists for it."""
        table: dict[str, set[str]] = defaultdict(set)
        for org in self.lexicon.organizations:
            for surface in (org.name, *org.aliases):
                table[surface.lower()].add(surface)
        return table

    def _learn_aliases(self, doc: Doc, choices: dict[CharSpan, _Naming], article_id: str | None, sentences: list[Span]) -> list[tuple[str, str, dict[str, object]]]:
        """Apply the aliases the article states ("X (formerly Y)"); return aliases without a mention.

        A curated entry (gazetteer) that names the alias as another entity wins over the text, and
        so does ``do_not_merge.yml``. Every mention with the alias's own id joins the entity.
        """
        res = self.resolution
        loose: list[tuple[str, str, dict[str, object]]] = []
        joined: dict[str, tuple[_Naming, str, dict[str, object]]] = {}  # alias own id -> target
        for learned in find_learned_aliases(doc, res):
            target = choices.get(learned.target)
            if target is None or target.product_of:
                continue
            sentence = sentences[learned.sentence].text if learned.sentence < len(sentences) else ""
            entry: dict[str, object] = {"alias": learned.alias_text, "rule": learned.rule, "evidence": _text_evidence(article_id, learned.sentence, sentence)}
            alias = choices.get(learned.alias) if learned.alias is not None else None
            alias_own = alias.own if alias is not None else entity_id(target.label, learned.alias_text)
            if alias_own == target.id or res.entities_blocked(alias_own, target.id):
                continue
            if alias is not None and alias.rule in _CURATED_RULES and alias.id != target.id:
                continue
            if self._curated_elsewhere(target.label, learned.alias_text, target.id):
                continue
            entry["id"] = alias_own
            if alias is None:
                loose.append((target.id, learned.alias_text, entry))
            joined[alias_own] = (target, learned.rule, entry)
        if joined:
            for key, choice in list(choices.items()):
                hit = joined.get(choice.own)
                if hit is not None and choice.id != hit[0].id:
                    target, rule, entry = hit
                    choices[key] = _Naming(target.label, target.name, choice.own, rule=rule, evidence=entry["evidence"], stem=target.stem)  # type: ignore[arg-type]
        return loose

    def _curated_elsewhere(self, label: EntityType, alias: str, target_id: str) -> bool:
        """True when curated data already names ``alias`` as an entity other than the target."""
        res = self.resolution
        curated = {
            EntityType.ORGANIZATION: self.lexicon.canonical_organization(alias),
            EntityType.MODEL: res.canonical_model(alias),
            EntityType.PLACE: res.canonical_place(alias),
        }.get(label)
        return curated is not None and entity_id(label, curated) != target_id

    def _attributes(self, label: EntityType, name: str) -> dict[str, str]:
        if label == EntityType.MODEL:
            family = _family_of(name, self.lexicon)
            if family is not None:
                attrs = {"family": family.family}
                if family.developer:
                    attrs["known_developer"] = family.developer
                return attrs
        if label == EntityType.ORGANIZATION:
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

        def add(kind: ClaimType, claim, subject_ref: EntityRef, object_ref: EntityRef, *spans: CharSpan, **extra: object) -> None:  # type: ignore[no-untyped-def]
            """The claim of a finding between two named entities, its span covering both and ``spans``
            (none when an end is not a named entity, or for a model derived from itself)."""
            subject, obj = entity_of(subject_ref), entity_of(object_ref)
            if subject is None or obj is None or (kind == ClaimType.DERIVED_FROM and subject == obj):
                return
            start, end = _cover(subject_ref[:2], object_ref[:2], *spans)
            claims.append(self._claim(kind, subject, obj, article, claim.sentence, start, end, claim.rule, evidence(claim.sentence), **extra))

        for rel in found.releases:
            add(ClaimType.RELEASED, rel, rel.organization, rel.model, rel.cue, status=ReleaseStatus(rel.status), confidence=rel.confidence)
        for dev in found.developments:
            add(ClaimType.DEVELOPS, dev, dev.organization, dev.model, confidence=dev.confidence)
        for der in getattr(found, "derivations", []):
            add(ClaimType.DERIVED_FROM, der, der.model, der.base, der.cue)
        for aff in found.affiliations:
            add(ClaimType.AFFILIATED_WITH, aff, aff.person, aff.organization, role=aff.role)
        for att in found.attributions:
            speaker = entity_of(att.speaker)
            source_text = doc_text(doc)[att.source[0] : att.source[1]] if att.source else None
            statement = _statement_text(doc_text(doc)[att.content[0] : att.content[1]])
            about = sorted({naming[(e.start_char, e.end_char)][0] for e in doc.ents if att.content[0] <= e.start_char and e.end_char <= att.content[1] and (e.start_char, e.end_char) in naming})
            who = speaker or f"text:{name_key(source_text or 'unknown')}"
            spans = {"cue": list(att.cue), "content": list(att.content)}
            if att.source:
                spans["source"] = list(att.source)
            start, end = _cover(*(tuple(s) for s in spans.values()))
            claims.append(
                self._claim(
                    ClaimType.SAID, speaker, None, article, att.sentence, start, end, att.rule, evidence(att.sentence), key={"speaker": who, "statement": _digest(name_key(statement))},
                    statement=statement, cue=doc_text(doc)[att.cue[0] : att.cue[1]], source_text=source_text, direct=att.direct, spans=spans, about=about,
                )
            )
        return best_claims(claims)

    def _claim(
        self, kind: ClaimType, subject: str | None, obj: str | None, article: Article, sentence: int, start: int, end: int, rule: str, evidence: str,
        confidence: float | None = None, key: dict[str, object] | None = None, **extra: object,
    ) -> ClaimRecord:
        """One report; its fact key is the registry's (:func:`kg.schema.fact_key`) of the subject, the
        object and the qualifiers in ``extra`` (or of ``key``, for a SAID claim's speaker and digest)."""
        fact = fact_key(kind, **(key if key is not None else {"subject": subject, "object": obj, **extra}))
        report_id = "c-" + _digest(f"{article.id}|{kind}|{fact}|{start}|{end}")
        return ClaimRecord(
            id=report_id, fact=fact, type=kind, subject=subject, object=obj, article=article.id, sentence=sentence,
            start=start, end=end, confidence=confidence if confidence is not None else self.confidence.get(rule, 0.5), evidence=evidence, rule=rule, **extra,  # type: ignore[arg-type]
        )


def _evidence_rank(claim: ClaimRecord) -> tuple[object, ...]:
    """Sort key of competing reports of one fact in one sentence: the best first.

    Highest confidence; then a report that names its source span; then the widest span (more
    context); then the smallest offsets and rule name, so that the choice never depends on the
    order in which the rules and the tagger found them.
    """
    spans = claim.spans or {}
    return (-float(claim.confidence), "source" not in spans, -(claim.end - claim.start), claim.start, claim.rule or "", claim.id)


def best_claims(claims: Iterable[ClaimRecord]) -> list[ClaimRecord]:
    """One report per fact and sentence: the best evidence (:func:`_evidence_rank`) is kept.

    The attribution tagger and the rules often find the same statement in the same sentence;
    without this, one article would report the same claim id twice. The result is in document
    order (sentence, offsets, fact), whatever the order of the input.
    """
    best: dict[tuple[str, int], ClaimRecord] = {}
    for claim in claims:
        key = (claim.fact, claim.sentence)
        kept = best.get(key)
        if kept is None or _evidence_rank(claim) < _evidence_rank(kept):
            best[key] = claim
    unique: dict[str, ClaimRecord] = {}
    for claim in sorted(best.values(), key=lambda c: (c.sentence, c.start, c.end, c.fact, _evidence_rank(c))):
        unique.setdefault(claim.id, claim)  # the id hashes fact and offsets: a repeat is the same report
    return list(unique.values())


#: Rules backed by a curated data file: they win over aliases learned from text.
_CURATED_RULES = frozenset({"gazetteer", "model-alias", "place-alias"})
#: Rules whose evidence is a sentence of the article.
_TEXT_RULES = frozenset({"surname", "longer-form", "model-context"})


@dataclass(slots=True)
class _Naming:
    """What one mention is named: type, canonical name, and why it is not its own surface."""

    label: EntityType
    name: str
    own: str  # the id the mention would have on its own surface
    rule: str | None = None
    evidence: object = None
    product_of: str | None = None
    stem: str | None = None  # model family stem, for the model id

    @property
    def id(self) -> str:
        if self.label == EntityType.MODEL:
            return model_entity_id(self.name, self.stem)
        return entity_id(self.label, self.name)


def _text_evidence(article_id: str | None, sentence: int, text: str) -> dict[str, object]:
    """Where an article taught a merge: article id, sentence index and the sentence."""
    return {"article": article_id, "sentence": sentence, "text": " ".join(text.split())}


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


"""Who said what: direct quotes and reported speech as (source, cue, content) spans.

Patterns, each a small function over a parsed sentence, in the spirit of textacy's
``direct_quotations``, extended to reported speech:

* verb cues with a clausal complement: "X said (that) ...", "..., X said", "said X" inversions;
* verb cues with a nominal object for evaluative verbs: "X critiqued Meta's timing";
* phrasal cues: "X pointed out that ...";
* participial cues that inherit the subject: "..., noting that ...";
* prepositional cues: "according to X, ...";
* quotations without a cue in their sentence continue the previous speaker's statement.

Spans are character offsets into the document text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.anaphora import resolve_reference
from kg.extract.lexicon import Lexicon
from kg.extract.spans import CharSpan, EntityRef, doc_text, entity_at
from kg.schema import CLAIMS, ENTITIES, ClaimType, EntityType

QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}
QUOTE_CHARS = frozenset("“”\"«»")
#: Quotations. A straight double quote opens only at a line start or after a space or opening
#: bracket and before a non-space, and closes only after a non-space and before a space,
#: punctuation or line end, so `..." She said ... "` is not read as a quotation.
_QUOTE_RE = re.compile(r"“[^”]{2,}?”|(?:(?<=^)|(?<=[\s(\[—–-]))\"(?=\S)[^\"\n]{2,}?(?<=\S)\"(?=$|[\s.,;:!?)\]—–-])|«[^»]{2,}?»", re.MULTILINE)
SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CLAUSE_DEPS = ("ccomp", "xcomp", "parataxis")


class Attribution(NamedTuple):
    sentence: int
    source: CharSpan | None
    cue: CharSpan
    content: CharSpan
    direct: bool
    speaker: EntityRef | None
    rule: str


def find_attributions(doc: Doc, lexicon: Lexicon) -> list[Attribution]:
    """All attributions in ``doc``, at most one per cue, in document order."""
    found: list[Attribution] = []
    for number, sent in enumerate(doc.sents):
        for token in sent:
            from_verb = _verb_cue(token, number, lexicon)
            if from_verb:
                found.extend(from_verb)
                continue
            attribution = _prepositional_cue(token, number, sent, lexicon)
            if attribution is not None:
                found.append(attribution)
    found.extend(_continued_quotes(doc, found))
    return sorted(found, key=lambda a: a.content[0])


# -- verb cues --------------------------------------------------------------------------------
#: Dependents written before a cue verb that belong to the cue ("is defending", "has also
#: detailed", "now says", "did not deny"), as PolNeAR marks cues.
CUE_PREFIX_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})


def _cue_start(verb: Token) -> Token:
    """The first token of the cue: the verb, or the auxiliaries, negation and adverbs right before it."""
    start = verb
    while start.i > verb.sent.start:
        before = verb.doc[start.i - 1]
        if before.head.i != verb.i or before.dep_ not in CUE_PREFIX_DEPS:
            break
        start = before
    return start


def _verb_cue(token: Token, sentence: int, lexicon: Lexicon) -> list[Attribution]:
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD":
        return []
    lemma = token.lemma_.lower()
    particle = lexicon.phrasal_cues.get(lemma)
    particle_token = next((c for c in token.children if c.dep_ == "prt" and c.lower_ == particle), None) if particle else None
    is_clausal = lemma in lexicon.clausal_cues
    prep_objects = lexicon.prepositional_object_cues.get(lemma, frozenset())
    if not (is_clausal or lemma in lexicon.nominal_cues or particle_token is not None or lemma in lexicon.infinitival_cues or prep_objects):
        return []
    if particle and particle_token is None and not is_clausal:
        return []
    cue_end = particle_token or token
    contents: list[tuple[list[Token] | CharSpan, str]] = []
    clause = _clausal_content(token, lexicon.clausal_cues) if (is_clausal or particle_token is not None) else None
    if clause is not None:
        contents.append((clause, "verb-clause"))
    if not contents and prep_objects:
        prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in prep_objects), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if prep is not None and pobj is not None:
            cue_end = prep
            contents.append((list(pobj.subtree), "verb-object"))
    if not contents and lemma in lexicon.nominal_cues and lemma not in lexicon.clause_only_cues:
        obj = _object_content(token)
        if obj is not None:
            contents.append((obj, "verb-object"))
    if not contents and lemma in lexicon.infinitival_cues:
        xcomp = next((c for c in token.children if c.dep_ == "xcomp"), None)
        if xcomp is not None:
            contents.append((list(xcomp.subtree), "verb-intent"))
    source_head = _source_head(token)
    if source_head is None:
        return []
    if lemma in lexicon.clause_only_cues and source_head.lower_ in ("i", "we", "you"):
        return []  # "I think ..." inside a quotation
    if source_head.lower_ in ("it", "this", "that") and token.head.lemma_ in ("be",):
        return []  # "it is said that": no source
    source = _noun_phrase(source_head)
    cue = (_cue_start(token).idx, cue_end.idx + len(cue_end.text))
    if not contents and is_clausal:
        # “…,” he said, “…”: the quotations right before or after the source and cue
        around = (min(source[0], cue[0]), max(source[1], cue[1]))
        contents.extend((quote, "quote") for quote in _adjacent_quotes(token.doc, *around))
    speaker = resolve_reference(source_head, lexicon)
    if speaker is None and token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp") and not any(c.dep_ in SUBJECT_DEPS for c in token.children):
        return []  # "..., highlighting the challenges": a participle whose inherited subject is no speaker
    found = []
    for content, rule in contents:
        content_span = content if isinstance(content, tuple) else _content_chars(token.doc, content)
        if content_span is None or _overlaps(content_span, source) or _overlaps(content_span, cue):
            continue
        direct = _is_quoted(token.doc, content_span)
        found.append(Attribution(sentence, source, cue, content_span, direct, speaker, "quote" if direct and rule != "verb-intent" else rule))
    return found


def _adjacent_quotes(doc: Doc, start: int, end: int) -> list[CharSpan]:
    """Quotations separated from [start, end) only by punctuation and spaces."""
    text = doc_text(doc)
    found = []
    for q_start, q_end in _quotations(doc):
        after_close = q_end + 1
        if after_close <= start and start - after_close <= 3 and not text[after_close:start].strip(" ,;:—–-"):
            found.append(_inner(text, q_start, q_end))
        before_open = q_start - 1
        if before_open >= end and before_open - end <= 3 and not text[end:before_open].strip(" ,;:—–-"):
            found.append(_inner(text, q_start, q_end))
    return found


def _inner(text: str, start: int, end: int) -> CharSpan:
    while end > start and text[end - 1] in ",;":
        end -= 1
    return start, end


def _clausal_content(verb: Token, cues: frozenset[str] = frozenset()) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ == "parataxis" and child.lemma_.lower() in cues:
            continue  # "..., he said, ...": a parenthetical attribution, not this verb's content
        if child.dep_ in ("ccomp", "parataxis") and child.i != verb.i:
            return list(child.subtree)
    # "“We will ship it,” said Dana" / "But, he said, officials should be vigilant": the
    # reported clause is the cue's head and the cue a parenthetical inside or after it.
    if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
        head = verb.head
        before = [t for t in head.subtree if t.i < verb.left_edge.i]
        after = [t for t in head.subtree if t.i > verb.right_edge.i]
        return after if any(t.i == head.i for t in after) else before
    return None


def _object_content(verb: Token) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ == "dobj":
            return list(child.subtree)
    return None


def _source_head(verb: Token) -> Token | None:
    """The subject of the cue verb, inherited through participles and coordination."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        subject = next((c for c in current.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        agent = next((c for c in current.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if current.dep_ in ("advcl", "conj", "xcomp") and current.head.i != current.i:
            current = current.head
            continue
        return None
    return None


def _noun_phrase(head: Token) -> CharSpan:
    """The source as written: the subject's whole phrase, appositions and parentheticals included
    ("Kenneth Baer, a former official who runs a consultancy"), without edge punctuation."""
    tokens = [t for t in head.subtree if not t.is_space]
    while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].lower_ in ("and", "or")):
        tokens.pop()
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    first, last = tokens[0], tokens[-1]
    return first.idx, last.idx + len(last.text)


def _content_chars(doc: Doc, tokens: list[Token]) -> CharSpan | None:
    """Content span without edge punctuation; a leading "that" stays (it is part of the report).

    A quoted statement runs from its opening to its closing quote mark, across sentences (its
    final period included, the comma that hands over to the attribution excluded).
    """
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and (ordered[0].is_punct and ordered[0].text not in QUOTE_CHARS or ordered[0].is_space):
        ordered.pop(0)
    while ordered and ((ordered[-1].is_punct and ordered[-1].text not in QUOTE_CHARS) or ordered[-1].is_space):
        ordered.pop()
    if len(ordered) < 2:
        return None
    start, end = ordered[0].idx, ordered[-1].idx + len(ordered[-1].text)
    quote = _enclosing_quote(doc, start, end)
    if quote is not None:
        return quote
    return _to_closing_quote(doc_text(doc), start, end)


def _quotations(doc: Doc) -> list[CharSpan]:
    """Inner spans of the quotations in ``doc`` (cached on the doc's user data)."""
    key = "newskg_quotations"
    if key not in doc.user_data:
        doc.user_data[key] = [(m.start() + 1, m.end() - 1) for m in _QUOTE_RE.finditer(doc_text(doc))]
    return doc.user_data[key]


def _enclosing_quote(doc: Doc, start: int, end: int) -> CharSpan | None:
    """The whole quotation when the content lies inside one (or is one plus its closing punctuation)."""
    for q_start, q_end in _quotations(doc):
        if q_start - 1 <= start and end <= q_end + 1 and (start > q_start or end < q_end):
            inner_end = q_end
            while inner_end > q_start and doc_text(doc)[inner_end - 1] in ",;":
                inner_end -= 1
            return q_start, inner_end
    return None


def _to_closing_quote(text: str, start: int, end: int) -> CharSpan:
    opening = text[max(0, start - 2) : start].strip()
    if not opening or opening[-1] not in QUOTE_CHARS:
        return start, end
    tail = end
    while tail < len(text) and tail - end < 3 and text[tail] in ".!?,;":
        tail += 1
    if tail < len(text) and text[tail] in QUOTE_CHARS:
        while tail > end and text[tail - 1] in ",;":
            tail -= 1
        return start, tail
    return start, end


# -- prepositional cues -----------------------------------------------------------------------
def _prepositional_cue(token: Token, sentence: int, sent: Span, lexicon: Lexicon) -> Attribution | None:
    lower = token.lower_
    for words in lexicon.prepositional_cues:
        end = token.i + len(words)
        if words[0] != lower or end > sent.end or [t.lower_ for t in token.doc[token.i : end]] != list(words):
            continue
        last = token.doc[end - 1]
        obj = next((c for c in last.children if c.dep_ == "pobj"), None)
        if obj is None and end < sent.end:
            obj = token.doc[end] if token.doc[end].pos_ in ("PROPN", "NOUN", "PRON") else None
        if obj is None:
            return None
        source = _noun_phrase(obj)
        phrase = list(token.subtree) + [token, last, *obj.subtree]
        phrase_ids = {t.i for t in phrase}
        rest = [t for t in sent if t.i not in phrase_ids and not t.is_space]
        content = _content_chars(token.doc, rest)
        if content is None:
            return None
        cue = (token.idx, last.idx + len(last.text))
        return Attribution(sentence, source, cue, content, _is_quoted(token.doc, content), resolve_reference(obj, lexicon), "according-to")
    return None


# -- quotations without a cue -----------------------------------------------------------------
def _continued_quotes(doc: Doc, found: list[Attribution]) -> Iterator[Attribution]:
    """A quotation not covered by any attribution continues the latest preceding speaker."""
    covered = [a.content for a in found]
    sentence_of = {}
    for number, sent in enumerate(doc.sents):
        sentence_of[number] = (sent.start_char, sent.end_char)
    for match in _QUOTE_RE.finditer(doc_text(doc)):
        span = (match.start(), match.end())
        if len(match.group(0).split()) < 4 or any(_overlaps(span, c) for c in covered):
            continue
        previous = [a for a in found if a.content[1] <= span[0] and a.source is not None]
        if not previous:
            continue
        last = previous[-1]
        if span[0] - last.content[1] > 600 or "\n" in doc_text(doc)[last.content[1] : span[0]]:
            continue  # a quotation continues its speaker within the paragraph only
        number = next((n for n, (s, e) in sentence_of.items() if s <= span[0] < e), last.sentence)
        yield Attribution(number, last.source, last.cue, span, True, last.speaker, "quote-continued")


def _is_quoted(doc: Doc, span: CharSpan) -> bool:
    text = doc_text(doc)[span[0] : span[1]]
    before = doc_text(doc)[max(0, span[0] - 2) : span[0]]
    return text[:1] in QUOTE_CHARS or any(ch in QUOTE_CHARS for ch in before)


def _overlaps(a: CharSpan | None, b: CharSpan | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _in_subtree(token: Token, root: Token) -> bool:
    return root.left_edge.i <= token.i <= root.right_edge.i and any(a.i == root.i for a in [token, *token.ancestors])


# -- precision on real news -------------------------------------------------------------------
#: Words that are never a statement on their own (a content must be more than one of them).
_BARE_WORDS = frozenset({"it", "this", "that", "which", "who", "what", "he", "she", "they", "we", "i", "you", "so", "there", "these", "those"})
#: Pronouns that make a source only when resolved to a named entity.
_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "i", "we", "you", "this", "that", "these", "those", "which", "who", "whom", "there"})
#: Entity types that never speak (a model, a product, a benchmark): "Opus noted ...". A place
#: ("Washington said") and a handle may.
NON_SPEAKER_TYPES = frozenset({EntityType.MODEL, EntityType.PRODUCT, EntityType.SOFTWARE, EntityType.BENCHMARK, EntityType.HARDWARE})
#: Their type names and the recognizer's labels for them (kg/schema.py ``ner_labels``).
NON_SPEAKER_LABELS = frozenset({*NON_SPEAKER_TYPES, *(label for t in NON_SPEAKER_TYPES for label in ENTITIES[t].ner_labels)})
#: The entity types a SAID claim's subject may have (kg/schema.py), the only ones a resolved speaker may have.
SPEAKER_TYPES = frozenset(CLAIMS[ClaimType.SAID].subject_types)
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "vs", "vs.", "with", "by", "at", "as", "is", "&", "via", "from", "into"})
_TRAILING_WORDS = frozenset({"and", "or", "but", "with", "of", "to", "the", "a", "an", "that", "as", "about", "for", "in", "on", "while"})
_OPENERS = {"(": ")", "[": "]"}
#: Prepositions that may end a sentence ("easy to work with"): kept at a content's end when its sentence ends there.
_STRANDED = frozenset({"with", "of", "to", "about", "for", "in", "on"})
#: A straight single quote used as a quote mark (not an apostrophe: "don't", "users'").
_SINGLE_QUOTE = re.compile(r"(?<![A-Za-z])'(?=[A-Za-z])|(?<=[A-Za-z.,!?])'(?![A-Za-z])(?<!s')")


def speech_lemmas(lexicon: Lexicon) -> frozenset[str]:
    """Lemmas that make a cue a speech or claim cue."""
    reporting = lexicon.reporting
    lemmas = set(lexicon.clausal_cues) | set(lexicon.nominal_cues) | set(lexicon.phrasal_cues) | set(lexicon.prepositional_object_cues)
    lemmas |= set(lexicon.infinitival_cues) | set(reporting.get("extra_speech", ()))
    lemmas |= {word for words in lexicon.prepositional_cues for word in words[:1]}
    return frozenset(lemmas - set(reporting.get("not_speech", ())))


def refine_attributions(doc: Doc, attributions: list[Attribution], lexicon: Lexicon, *, keep_all: bool = False) -> list[Attribution]:
    """The attributions fit for a who-said-what graph, their contents cut to a clean statement.

    Kept: a speech or claim cue (``speech_lemmas``; "the plan includes", "he plans to" are not);
    a source that is a named or resolved person or organization, or a noun phrase naming people
    ("commenters", "one member", "analysts"), never an unresolved pronoun or relative word, a
    model or product, a non-agent noun ("the data", "the term") or a Title Case heading
    ("BF16 Battles: ..."); a content that is a quotation or a clause (or an evaluative verb's
    object, or a finding's noun phrase), not a bare pronoun, inside the cue's sentence unless
    quoted, and apart from source and cue. Contents lose a dangling conjunction, an unclosed
    bracket or quote and another voice's or the writer's continuation at their end
    (docs/attribution-tagger.md, "Precision for the graph").

    ``keep_all``: nothing is dropped, only content spans are put in newskg's form
    (:func:`statement_span`, a quotation with its final period).
    """
    text = doc_text(doc)
    if keep_all:
        return [_in_form(doc, text, a) for a in attributions]
    lemmas = speech_lemmas(lexicon)
    non_speakers = frozenset(lexicon.reporting.get("non_speakers", ()))
    # verbs whose object alone can be the statement ("critiqued X", "called for X"); after other
    # cues an object names an act or a topic ("announced its budget", "highlighted the myth of X")
    object_lemmas = frozenset(lexicon.reporting.get("evaluative", ()))
    property_nouns = frozenset(lexicon.reporting.get("property_nouns", ()))
    kept = []
    for attribution in attributions:
        refined = _refine(doc, text, attribution, lexicon, lemmas, non_speakers, object_lemmas, property_nouns)
        if refined is not None:
            kept.append(refined)
    return kept


def _refine(
    doc: Doc, text: str, att: Attribution, lexicon: Lexicon, lemmas: frozenset[str], non_speakers: frozenset[str], object_lemmas: frozenset[str],
    property_nouns: frozenset[str],
) -> Attribution | None:
    if att.source is None or _overlaps(att.source, att.content) or _overlaps(att.cue, att.content):
        return None
    cue_tokens = _tokens_in(doc, att.cue)
    if not cue_tokens or not any(t.lemma_.lower() in lemmas or t.lower_ in lemmas for t in cue_tokens):
        return None
    if any(c.dep_ == "prt" and t.lemma_.lower() in lemmas and lexicon.phrasal_cues.get(t.lemma_.lower()) != c.lower_ for t in cue_tokens for c in t.children):
        return None  # "have called off a demonstration", "called up": an act, not speech
    if not _cue_is_uttered(cue_tokens, lemmas):
        return None  # "is tipped to ask", "hope to raise", "When asked whether ...": no statement made
    if att.rule == "tagger":
        att = _parser_source(att, cue_tokens, lemmas, lexicon)
    if _across_semicolon(text, att.source, att.cue) or (not att.direct and _across_semicolon(text, att.content, att.cue)):
        return None  # "Comments note X; others mention ...": the content or source of another clause
    source_tokens = _tokens_in(doc, att.source)
    if not source_tokens:
        return None
    if any(t.dep_ == "acl" and t.tag_ == "VBD" for t in source_tokens):
        return None  # "A member asked to check X, and staff replied": a clause misread as the subject's modifier
    if not _is_speaker(doc, text, att, source_tokens, cue_tokens, non_speakers):
        return None
    if att.speaker is None and len(source_tokens) == 1 and lexicon.family_of(source_tokens[0].text) is not None:
        return None  # "Opus noted ...": a model family's name
    if att.speaker is None and any(_VERSION.match(t.text) for t in source_tokens):
        return None  # "deepagents 0.5 adds ...": a software release
    content = statement_span(text, *(_snap_to_quotation(doc, att.content) if att.direct else att.content), direct=att.direct)
    if content is None:
        return None
    if att.direct and _quote_before_own_clause(doc, att.cue, content, cue_tokens):
        return None  # the quotation before is the previous speaker's
    if att.direct:
        content = _first_quote_paragraph(text, _with_final_punct(text, content))
    else:
        content = _clip_to_sentence(doc, content, att.cue)
        content = _after_lead_in(text, content, att.cue) if content is not None else None
        content = _clean_end(text, content) if content is not None else None
        if content is None:
            return None
        content = _without_other_voices(text, content)
        content = _without_speaker_acts(doc, text, content, cue_tokens, lemmas | frozenset(lexicon.reporting.get("speaker_acts", ())))
        content = _without_cut_clause(doc, text, content) if content is not None else None
        content = _clean_end(text, content) if content is not None else None  # a bracket the cuts left open
        if content is None:
            return None
    words = text[content[0] : content[1]].split()
    content_tokens = _tokens_in(doc, content)
    if not words or (len(words) == 1 and words[0].lower().strip(".,;:!?") in _BARE_WORDS):
        return None
    if not att.direct and (len(words) < 2 or not (
        _is_clause(content_tokens, cue_tokens) or _is_claim_object(att, cue_tokens, content_tokens, object_lemmas, property_nouns) or _misparsed_clause(cue_tokens, words)
    )):
        return None  # "Members dismissed the idea", "Bill Gates said which"
    if not att.direct and content_tokens and content_tokens[0].tag_ == "VBG" and content_tokens[0].lemma_.lower() in _GLOSS_VERBS:
        return None  # "reported X, [sparking a discussion on ...]": the writer's gloss
    if content_tokens and content_tokens[0].tag_ in ("MD", "VBD", "VBZ", "VBP") and content_tokens[0].lower_ not in ("let", "do", "does", "did"):
        return None  # "could be enough ...": a clause whose subject was left out
    if att.direct and len(words) < 4 and not _is_clause(content_tokens):
        return None  # a quoted phrase ("no current purpose") inside an unquoted report
    source = _balanced_source(text, att.source)
    if _in_heading(text, content[0]) or _in_lead_in(text, content, att.cue):
        return None
    if not att.direct and _subordinate_only(content_tokens):
        return None  # "while ChatGPT has message limits": the main clause is missing
    lead_in = ":" in text[att.cue[1] : content[0]]
    if not att.direct and (_other_clause(content_tokens, cue_tokens, lemmas, lead_in) or _in_cue_modifier(content_tokens, cue_tokens)):
        return None  # "..., and the government has asked X to ...", "Addressing claims that X, he told ..."
    return att._replace(content=content, source=source, cue=_cue_without_time(doc, att.cue, cue_tokens))


#: Cue verbs whose infinitive content is a statement of intent or a demand made to someone
#: ("vowed to", "urged X to", "called on X to"); after others ("hope to", "plan to") it is no statement.
_INTENT_SPEECH = frozenset({"urge", "pledge", "vow", "promise", "threaten", "call", "ask", "encourage", "demand", "propose", "agree", "refuse", "decline", "tell", "warn", "advise", "insist", "recommend", "order", "invite"})
#: Verbs whose infinitive complement is not (yet) said: "is tipped to ask", "is expected to say",
#: "seemed to imply", "plans to announce", "is going to say" (not "went on to say", "was quick to note").
_NOT_YET = frozenset({"expect", "tip", "set", "seem", "appear", "plan", "want", "intend", "hope", "prepare", "schedule", "tend", "try", "aim", "need", "wish", "like", "love", "prefer", "refuse", "decline", "fail", "forget"})
#: Speech cues that state nothing when negated ("did not confirm whether", "would not say");
#: a negated belief or denial ("did not believe", "did not deny") still states a view.
_UNSAID_WHEN_NEGATED = frozenset({"say", "confirm", "comment", "reveal", "disclose", "specify", "elaborate", "mention", "explain", "respond", "answer", "tell", "announce", "share", "indicate", "clarify"})
_ASKED = frozenset({"ask", "question", "press", "quiz", "challenge"})


def _cue_is_uttered(cue: list[Token], lemmas: frozenset[str]) -> bool:
    """False for a cue that reports no utterance: an infinitive under a verb that is no speech
    ("is tipped to ask", "seemed to imply", "is expected to say": not said yet, or a guess), an
    intention cue that is no speech act ("hope to raise", "want to"), or the question put to
    someone else ("When asked whether ..., X responded": the asker is not named)."""
    verb = next((t for t in reversed(cue) if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lemmas), None)
    if verb is None:
        return True
    to_infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    head = verb.head
    if to_infinitive and verb.dep_ == "xcomp" and (head.lemma_.lower() in _NOT_YET or head.lemma_.lower() == "go" and head.tag_ == "VBG"):
        return False
    if any(c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in verb.children) and verb.lemma_.lower() not in _INTENT_SPEECH:
        if not any(c.dep_ in ("ccomp", "dobj") for c in verb.children):
            return False  # "Organisers hope to raise £250,000": an intention, not a statement
    if verb.lemma_.lower() in _UNSAID_WHEN_NEGATED and any(c.dep_ == "neg" for c in verb.children):
        return False  # "did not confirm whether ...", "didn't say": nothing was stated
    if verb.lemma_.lower() in _ASKED and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        if verb.tag_ == "VBN" and any(c.lower_ in ("when", "if", "once", "after") for c in verb.children):
            return False
    return True


def _parser_source(att: Attribution, cue: list[Token], lemmas: frozenset[str], lexicon: Lexicon) -> Attribution:
    """A tagger attribution with the parser's subject of its cue verb as source when the tagger
    paired the cue with another clause's source ("some say X, while others report Y": "some" says
    X; "one user shares ..., and another user cautioned": "another user" cautions). Kept as tagged
    when the parser finds no nominal subject in the cue's sentence or the subject is a relative or
    wh-word."""
    verb = next((t for t in reversed(cue) if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lemmas), None)
    if verb is None or att.source is None:
        return att
    head = _source_head(verb)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON") and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        head = verb.head  # "..., with one user asserting that ...": the noun the participle hangs on
    elif verb.tag_ == "VBG" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        # "A member argued [brains aren't capable, suggesting ...]": a participle inside another
        # speech verb's content speaks with that verb's subject
        speech = next((a.head for a in verb.ancestors if a.dep_ == "ccomp" and a.head.lemma_.lower() in lemmas), None)
        if speech is not None:
            head = _source_head(speech) or head
    if head is None or not (head.pos_ in ("NOUN", "PROPN", "PRON") or head.lower_ == "one") or head.tag_ in ("WP", "WDT", "WP$") or head.sent != verb.sent:
        return att
    if att.source[0] <= head.idx < att.source[1]:
        return att
    source = _noun_phrase(head)
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in head.subtree if t.i != verb.i and not _in_subtree(t, verb)):
        return att  # "A member asked to check X, and staff replied": a subject phrase holding a clause is a misparse
    if head.i == verb.head.i and verb.dep_ == "acl":
        phrase = [t for t in head.subtree if t.i < verb.left_edge.i and not t.is_space]
        source = (phrase[0].idx, phrase[-1].idx + len(phrase[-1].text))
    if _overlaps(source, att.content) or _overlaps(source, att.cue):
        return att
    return att._replace(source=source, speaker=resolve_reference(head, lexicon))


def _without_speaker_acts(doc: Doc, text: str, span: CharSpan, cue: list[Token], acts: frozenset[str]) -> CharSpan | None:
    """A reported content without the speaker's next act coordinated after it ("noted that X and
    discussed Y", "reported X and sought assistance", "announced X, and linked the repo"): a verb
    without a subject of its own, conjoined to the cue verb, or inside the content conjoined to its
    clause while being a speech or posting verb or in the cue's tense where its clause is not."""
    tokens = _tokens_in(doc, span)
    if not tokens:
        return span
    inside = {t.i for t in tokens}
    cue_ids = {t.i for t in cue}
    cue_tags = {t.tag_ for t in cue if t.pos_ in ("VERB", "AUX")}
    for token in tokens:
        if token.dep_ != "conj" or token.pos_ not in ("VERB", "AUX") or token.i == tokens[0].i:
            continue
        if any(c.dep_ in SUBJECT_DEPS for c in token.children):
            continue
        head = token.head
        speaker_act = head.i in cue_ids or (
            head.i in inside and token.tag_ in cue_tags and (token.lemma_.lower() in acts or (token.tag_ != head.tag_ and head.tag_ not in ("VBG", "VB")))
        )
        if not speaker_act:
            continue
        return statement_span(text, span[0], _clause_start(doc, token, tokens[0]).idx, direct=False)
    return span


def _clause_start(doc: Doc, clause: Token, first: Token) -> Token:
    """Where a coordinated clause starts, with the conjunction, punctuation and spaces before it
    (never before ``first``, the content's first token): the cut that leaves it out of a content."""
    cut = clause.left_edge
    while cut.i > first.i and (doc[cut.i - 1].dep_ in ("cc", "punct") or doc[cut.i - 1].is_space):
        cut = doc[cut.i - 1]
    return cut


def _without_cut_clause(doc: Doc, text: str, span: CharSpan) -> CharSpan | None:
    """A reported content without a last coordinated clause that has a subject of its own and is
    cut off inside ("complained that squatters took the land, and the government has asked"):
    that clause is someone else's and lost its object."""
    tokens = _tokens_in(doc, span)
    if len(tokens) < 2:
        return span
    last = tokens[-1]
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside]
    for root in roots[1:] if roots and roots[0].pos_ in ("VERB", "AUX") else []:
        # a second top clause, coordinated outside the content with a subject of its own
        if root.dep_ == "conj" and root.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in root.children) and root.left_edge.i > tokens[0].i:
            return statement_span(text, span[0], _clause_start(doc, root, tokens[0]).idx, direct=False)
    cut_off = any(c.i > last.i and c.i not in inside and not c.is_punct for t in tokens for c in t.children)
    if not cut_off:
        return span
    for token in tokens[1:]:
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and token.head.i in inside and any(c.dep_ in SUBJECT_DEPS for c in token.children):
            if not any(c.i > last.i for t in token.subtree for c in [t] if t.i not in inside):
                continue
            return statement_span(text, span[0], _clause_start(doc, token, tokens[0]).idx, direct=False)
    return span


def _first_quote_paragraph(text: str, span: CharSpan) -> CharSpan:
    """A direct content up to the end of its first quoted paragraph: a quotation that runs on over
    paragraphs opens each one with a new mark ('... reporters. "I think ...'); the content never
    holds a quote mark of its own."""
    piece = text[span[0] : span[1]]
    for index, char in enumerate(piece):
        opening = piece[index - 1 : index].isspace() and piece[index + 1 : index + 2].strip() != ""
        if char in "“\"" and opening and piece[:index].rstrip()[-1:] in _FINAL_PUNCT:
            return span[0], span[0] + len(piece[:index].rstrip())
    return span


def _across_semicolon(text: str, a: CharSpan | None, b: CharSpan | None) -> bool:
    """True when a semicolon separates two spans of one attribution (different clauses)."""
    if a is None or b is None:
        return False
    between = text[min(a[1], b[1]) : max(a[0], b[0])]
    return ";" in between


def _after_lead_in(text: str, span: CharSpan, cue: CharSpan) -> CharSpan | None:
    """A reported content that starts at a line's start and takes in the line's lead-in before
    ": " ("Hackathon kicks off Saturday: The hackathon is likely to ..., according to a member")
    starts after the lead-in."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    if text[line_start : span[0]].strip(" -*#>•") != "":
        return span
    colon = text.find(": ", span[0], span[1])
    if colon < 0 or "\n" in text[span[0] : colon] or len(text[span[0] : colon].split()) > 12:
        return span
    return statement_span(text, colon + 1, span[1], direct=False)


def _other_clause(tokens: list[Token], cue: list[Token], lemmas: frozenset[str], lead_in: bool = False) -> bool:
    """True when the content is governed by another clause than the cue's: between its top token
    and the cue verb lies a verb with a subject of its own ("complained that X, and the government
    has asked [authorities to resolve it]"), or, after a lead-in colon, the content holds its own
    attribution at its top ("Quantization announced: [Pranav Nair announced Y]"; without the colon
    a nested attribution is part of what was said, as PolNeAR annotates it)."""
    if not tokens:
        return False
    inside = {t.i for t in tokens}
    cue_ids = {t.i for t in cue}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    return any((lead_in and _own_attribution(root, tokens, inside, lemmas)) or _under_another_subject(root, inside, cue_ids) for root in roots)


def _own_attribution(root: Token, tokens: list[Token], inside: set[int], lemmas: frozenset[str]) -> bool:
    """The content opens with an attribution of its own ("[Pranav Nair announced Y]")."""
    if root.lemma_.lower() in lemmas and root.pos_ == "VERB" and any(c.dep_ in SUBJECT_DEPS and c.i in inside for c in root.children):
        return root.i == tokens[0].i or tokens[0].head.i == root.i or root.left_edge.i == tokens[0].i
    return False


def _under_another_subject(root: Token, inside: set[int], cue_ids: set[int]) -> bool:
    """Between the content's top token and the cue verb lies a verb with a subject of its own."""
    ancestors = list(root.ancestors)
    if not any(a.i in cue_ids for a in ancestors) or root.dep_ in SUBJECT_DEPS:
        return False  # not under the cue, or a clause the parser read as a subject ("said [the endpoint handles images], and ...")
    for ancestor in ancestors:
        if ancestor.i in cue_ids:
            break
        if ancestor.i not in inside and ancestor.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS and c.i not in inside for c in ancestor.children):
            return True
    return False


def _in_cue_modifier(tokens: list[Token], cue: list[Token]) -> bool:
    """True when a content written before its cue lies in a modifier of the cue verb ("Addressing
    claims that the law was unenforceable, Mr Michael told ..."): those are someone else's words."""
    if not tokens or not cue or tokens[-1].i >= cue[0].i:
        return False
    cue_ids = {t.i for t in cue}
    root = next((t for t in tokens if t.head.i not in {x.i for x in tokens} or t.head.i == t.i), None)
    if root is None:
        return False
    for ancestor in [root, *root.ancestors]:
        if ancestor.head.i in cue_ids and ancestor.i not in cue_ids:
            return ancestor.dep_ in ("advcl", "prep", "npadvmod")
    return False


_TIME_PREPS = frozenset({"on", "at", "in", "during", "last", "this", "after", "before", "earlier", "later"})


def _cue_without_time(doc: Doc, cue: CharSpan, tokens: list[Token]) -> CharSpan:
    """A cue without a time phrase after its verb ("had said on Thursday lunchtime" -> "had said")."""
    verb_positions = [k for k, t in enumerate(tokens) if t.pos_ in ("VERB", "AUX")]
    if not verb_positions:
        return cue
    last = verb_positions[-1]
    rest = tokens[last + 1 :]
    if rest and rest[0].lower_ in _TIME_PREPS and rest[0].dep_ in ("prep", "npadvmod", "advmod") and len(rest) >= 2:
        end = tokens[last]
        return cue[0], end.idx + len(end.text)
    return cue


def _balanced_source(text: str, span: CharSpan) -> CharSpan:
    """A source with its closing bracket when it stops right before it ("the Commission (EOC")."""
    start, end = span
    piece = text[start:end]
    if piece.count("(") > piece.count(")"):
        close = text.find(")", end, end + 3)
        if close >= 0:
            return (start, close + 1)
        return (start, start + len(piece[: piece.rfind("(")].rstrip(" ,"))) if piece.rfind("(") > 0 else span
    return span


#: Heads of objects too vague to be what someone said ("dismissed the idea", "noted the issue").
_VAGUE_OBJECTS = frozenset({"idea", "issue", "problem", "question", "matter", "concern", "point", "thing", "things", "it", "this", "that", "one", "way", "fact", "news", "topic", "stuff", "move", "plan", "decision", "step", "likelihood", "possibility"})


def _is_claim_object(att: Attribution, cue: list[Token], tokens: list[Token], object_lemmas: frozenset[str], property_nouns: frozenset[str]) -> bool:
    """An evaluative verb's object ("critiqued Meta's timing", "called for an audit"), not a vague
    one; after any other cue, a finding's noun phrase ("noted the strength of ...")."""
    if not tokens:
        return False
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    if any(t.lemma_.lower() in object_lemmas for t in cue):
        return all(t.lemma_.lower() not in _VAGUE_OBJECTS and not _pronoun_object(t, inside) for t in roots)
    # "noted the strength of China's ecosystem": a finding, with its complement
    return any(t.lemma_.lower() in property_nouns and any(c.dep_ in ("prep", "acl", "relcl") and c.i in inside for c in t.children) for t in roots)


#: Participles with which newsletters add their own gloss to a report ("..., sparking a debate").
_GLOSS_VERBS = frozenset({"spark", "prompt", "lead", "fuel", "trigger", "raise", "draw", "generate"})


def _pronoun_object(root: Token, inside: set[int]) -> bool:
    """An object that is a noun owned by a pronoun or pointed at, with at most adjectives
    ("confirmed its cancellation", "confirmed its improved organization", "praised this
    approach"): it says nothing without the sentence before."""
    dependents = [c for c in root.children if c.i in inside and not c.is_punct]
    pointing = [c for c in dependents if c.dep_ in ("poss", "det") and c.lower_ in _POINTING]
    return bool(pointing) and all(c in pointing or c.dep_ in ("amod", "compound", "advmod") for c in dependents)


_POINTING = frozenset({"its", "their", "his", "her", "this", "that", "these", "those", "such"})


#: Verbs that take a clause, never a plain noun phrase: a long "object" of theirs is a clause the
#: parser read as a noun phrase ("said the chip ships in May").
_SAY_VERBS = frozenset({"say", "tell", "claim", "state", "argue", "insist", "explain", "write", "report", "warn", "believe", "think"})
_VERSION = re.compile(r"^v?\d+(?:\.\d+)+[a-z]?$")


def _misparsed_clause(cue: list[Token], words: list[str]) -> bool:
    # not after "argues against", "reported on": there the noun phrase is the preposition's object
    return len(words) >= 4 and any(t.lemma_.lower() in _SAY_VERBS for t in cue) and cue[-1].pos_ != "ADP"


def _is_clause(tokens: list[Token], cue: Sequence[Token] = ()) -> bool:
    """True when one of the content's top tokens (heads outside it) is a verb: "(that) X will ship",
    "to ship X", "using X"; not a noun phrase ("the idea", "reasons for disliking Gemini") nor a
    gerund inside a preposition outside the cue ("In a discussion about understanding X, ...")."""
    inside = {t.i for t in tokens}
    cue_ids = {t.i for t in cue}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    return any(
        (t.pos_ in ("VERB", "AUX") or t.dep_ in ("ccomp", "parataxis")) and not (t.dep_ in ("pcomp", "pobj") and t.head.i not in cue_ids)
        for t in roots
        if not t.is_punct
    )


#: Where a reported content hands over to someone else: ", with one member noting ...",
#: ", while others ...", ", and other members recommended ...", ", with speculation that ...", or
#: to the writer's own gloss (", indicating ...").
_OTHER_VOICE = re.compile(
    r",?\s+(?:with|while|whereas|and|but)\s+(?:(?:one|some|another|others|other|many|most|several|a few|speculation|the rest)\b|@\w)"
    # the writer's gloss on a report, as newsletter summaries add it: "..., indicating interest in ..."
    r"|(?:,\s+|\s*[—–]\s*)(?:indicating|implying|signaling|signalling|reflecting|underscoring|hinting|sparking|prompting|fueling|fuelling|triggering)\b"
    # a semicolon starts another clause, in summaries mostly someone else's
    r"|\s*;\s(?=[^\"“”]*(?:[\"“][^\"“”]*[\"”][^\"“”]*)*$)",
    re.IGNORECASE,
)


def _without_other_voices(text: str, span: CharSpan) -> CharSpan:
    match = _OTHER_VOICE.search(text, span[0], span[1])
    if match is None or match.start() - span[0] < 10:
        return span
    return statement_span(text, span[0], match.start(), direct=False) or span


def _in_form(doc: Doc, text: str, att: Attribution) -> Attribution:
    if att.direct:
        att = att._replace(content=_snap_to_quotation(doc, att.content))
    content = statement_span(text, *att.content, direct=att.direct)
    if content is None:
        return att
    return att._replace(content=_with_final_punct(text, content) if att.direct else content)


def _snap_to_quotation(doc: Doc, span: CharSpan) -> CharSpan:
    """A direct content as its whole quotation when it lies inside one (a tagger content that lost
    the quotation's first word) or starts at one and runs past its closing mark into the next
    sentence; any other span unchanged."""
    text = doc_text(doc)
    for q_start, q_end in _quotations(doc):
        if not (q_start - 1 <= span[0] <= q_end and span[1] > q_start):
            continue
        inside = span[1] <= q_end + 1
        runs_past = span[0] <= q_start + 1 and span[1] > q_end + 1
        if inside or runs_past:
            return _inner(text, q_start, q_end)
    return span


def _with_final_punct(text: str, span: CharSpan) -> CharSpan:
    """A quotation's span up to its closing mark: its final "." or "?" back if it was trimmed."""
    end = span[1]
    while end < len(text) and end - span[1] < 3 and text[end] in _FINAL_PUNCT:
        end += 1
    return (span[0], end) if end > span[1] and end < len(text) and text[end] in "”\"»’'" else span


def _tokens_in(doc: Doc, span: CharSpan) -> list[Token]:
    if span[1] <= span[0]:
        return []
    try:
        chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    except IndexError:  # a span of whitespace between two tokens
        return []
    return [t for t in chars if not t.is_space] if chars is not None else []


def _is_speaker(doc: Doc, text: str, att: Attribution, source: list[Token], cue: list[Token], non_speakers: frozenset[str]) -> bool:
    root = min(source, key=lambda t: (sum(1 for a in t.ancestors if a in source), t.i)) if len(source) > 1 else source[0]
    entity = entity_at(root)
    if entity is not None and entity.label_ in NON_SPEAKER_LABELS:
        return False
    if _in_heading(text, att.source[0]) or _source_in_lead_in(text, att.source, att.cue):
        return False
    if len(source) > 1 and source[-1].lower_ in ("who", "which", "that", "whose"):
        return False  # "A user who": a source cut inside its relative clause
    lower = root.lower_
    if lower in ("it", "there") and any(c.dep_ == "auxpass" for c in root.head.children):
        return False  # "It was shared that ..., and suggested ...": the expletive of a passive
    if lower in ("it", "this", "there") and _passive(cue):
        return False  # "It was noted that ...", "It is considered ...": no one named
    if any(t.tag_ == "VBN" and t.dep_ in ("advcl", "acl") and not any(c.dep_ in ("aux", "auxpass") for c in t.children) for t in cue):
        return False  # "Asked whether ..., Mr Howard said": the one asked is not the one asking
    if root.dep_ == "nsubjpass" and _passive(cue):
        return False  # "Members were encouraged to ...": the addressee of a passive cue, not its speaker
    if att.speaker is not None:
        return att.speaker.label in SPEAKER_TYPES  # "the ... model" resolved to a Model speaks not
    if lower in _PRONOUNS or root.pos_ == "PRON" and lower not in ("one", "someone", "somebody", "others", "another", "many", "some", "several", "few", "most"):
        return False  # "It is considered ...", an unresolved "he", "which"
    if lower in non_speakers or root.lemma_.lower() in non_speakers:
        return False
    return True


def _source_in_lead_in(text: str, source: CharSpan, cue: CharSpan) -> bool:
    """True when the source lies in a line's lead-in before its first ": " and the cue after it
    ("Dataset troubles found by user: A member reported ..."): the lead-in is a heading, whatever
    its case."""
    line_start = text.rfind("\n", 0, source[0]) + 1
    colon = text.find(": ", line_start, cue[0])
    return colon >= 0 and source[1] <= colon + 1 and "\n" not in text[source[0] : cue[0]]


def _quote_before_own_clause(doc: Doc, cue: CharSpan, content: CharSpan, tokens: list[Token]) -> bool:
    """True when a quotation ends before the sentence of a cue whose verb has a reported clause
    of its own there ('"His administration is now in crisis." On Sunday, X told the BBC she
    believed ...': the quotation is the previous speaker's)."""
    sentence = next((s for s in doc.sents if s.start_char <= cue[0] < s.end_char), None)
    if sentence is None or content[1] > sentence.start_char + 1:
        return False
    return any(c.dep_ == "ccomp" and c.i >= sentence.start and not any(w.text in QUOTE_CHARS for w in c.subtree) for t in tokens for c in t.children)


def _in_lead_in(text: str, content: CharSpan, cue: CharSpan) -> bool:
    """True when the content lies before a line's first ": " and the cue after it ("Rate Limit
    Blues hit users: Several users reported ...")."""
    line_start = text.rfind("\n", 0, content[0]) + 1
    colon = text.find(": ", line_start, cue[0])
    return colon >= 0 and content[1] <= colon + 1 and "\n" not in text[content[1] : cue[0]]


_SUBORDINATORS = frozenset({"while", "although", "though", "because", "since", "when", "whereas", "unless", "once", "after", "before"})


def _subordinate_only(tokens: list[Token]) -> bool:
    """A content that is only a subordinate clause, its main clause cut off."""
    if tokens and tokens[0].lower_ == "that":
        tokens = tokens[1:]
    if not tokens or tokens[0].lower_ not in _SUBORDINATORS:
        return False
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if (t.head.i not in inside or t.head.i == t.i) and not t.is_punct and t.i != tokens[0].i]
    # the subordinator hangs on a top clause ("while X has ..."), not on a clause below the main one
    return any(tokens[0].head.i == t.i for t in roots) or all(t.dep_ == "advcl" for t in roots)


def _passive(cue: list[Token]) -> bool:
    return any(t.dep_ == "auxpass" or any(c.dep_ == "auxpass" for c in t.children) for t in cue)


def _in_heading(text: str, position: int) -> bool:
    """True when ``position`` lies in a Title Case heading: a whole line without final punctuation,
    or the lead-in(s) of a line before ": " ("- BF16 Battles: Members said ...")."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    offset = position - line_start
    parts = line.split(": ")
    if len(parts) == 1:
        return not line.rstrip().endswith((".", "?", "!", "”", '"', ")")) and _title_case(line)
    covered = 0
    for part in parts[:-1]:
        if not _title_case(part):
            return False
        covered += len(part) + 2
        if offset < covered:
            return True
    return False


def _title_case(phrase: str) -> bool:
    words = [w for w in phrase.lstrip("-*#> ").split() if w[:1].isalpha()]
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and len(content) >= 2 and sum(w[0].isupper() for w in content) >= 0.75 * len(content)


def _clip_to_sentence(doc: Doc, content: CharSpan, cue: CharSpan) -> CharSpan | None:
    """A reported (unquoted) content within the cue's sentence; ``None`` when it lies in another one."""
    for sent in doc.sents:
        if sent.start_char <= cue[0] < sent.end_char:
            start, end = max(content[0], sent.start_char), min(content[1], sent.end_char)
            return (start, end) if end - start >= 2 else None
    return content


def _clean_end(text: str, span: CharSpan) -> CharSpan | None:
    """Drop a dangling conjunction, an unclosed bracket or quote mark and what follows it."""
    start, end = span
    for _ in range(4):
        piece = text[start:end]
        # a quoted phrase whose closing mark was trimmed off: take the mark back ('had "agendas"')
        for opener, closer in (("“", "”"), ('"', '"')):
            count_open, count_close = (piece.count('"'), 0) if opener == closer else (piece.count(opener), piece.count(closer))
            unbalanced = count_open % 2 if opener == closer else count_open > count_close
            if unbalanced and end < len(text) and text[end] == closer:
                end += 1
                piece = text[start:end]
            elif unbalanced and piece.rfind(opener) > len(piece) - 80:
                # a quoted phrase the content stopped inside ('it is actually a "profoundly civil
                # measure ... fear".'): taken to its closing mark, on the same line, nearby
                close = text.find(closer, end, end + 250)
                if close > end and "\n" not in text[end:close] and not text[close - 1].isspace():
                    end = close + 1
                    piece = text[start:end]
        cut = end
        for opener, closer in _OPENERS.items():
            if piece.count(opener) > piece.count(closer):
                cut = min(cut, start + piece.rfind(opener))
        for mark in ("“", "‘"):
            if piece.count(mark) > piece.count({"“": "”", "‘": "’"}[mark]):
                cut = min(cut, start + piece.rfind(mark))
        if piece.count('"') % 2:
            cut = min(cut, start + piece.rfind('"'))
        marks = [m.start() for m in _SINGLE_QUOTE.finditer(piece)]
        if len(marks) % 2:
            cut = min(cut, start + marks[-1])
        end = cut
        trimmed = statement_span(text, start, end, direct=False)
        if trimmed is None:
            return None
        start, end = trimmed
        words = text[start:end].split()
        at_sentence_end = text[end : end + 1] in (".", "!", "?") or end >= len(text)
        if len(words) > 1 and words[-1].lower() in _TRAILING_WORDS and not (at_sentence_end and words[-1].lower() in _STRANDED):
            end = start + text[start:end].rstrip().rfind(" ")
            continue
        if end == cut:
            break
    return (start, end) if end > start else None


# -- span conventions -------------------------------------------------------------------------
#: Characters a statement never starts or ends with (besides whitespace): the punctuation that
#: joins it to its attribution. A closing bracket whose opening is inside stays, as do "%" and
#: a quotation's final ".", "?" or "!".
_EDGE_PUNCT = frozenset(",;:—–-…/")
_FINAL_PUNCT = frozenset(".?!")
_ALL_QUOTES = frozenset("“”\"«»‘’'")


def statement_span(text: str, start: int, end: int, *, direct: bool) -> CharSpan | None:
    """A content span in newskg's convention (docs/attribution-tagger.md, "Span conventions").

    * never a quote mark at either edge: a direct quotation is the text between its marks;
    * no whitespace and no joining punctuation (``, ; : — –``) at either edge;
    * a direct quotation keeps its final ``.``, ``?`` or ``!``; reported speech does not;
    * a closing bracket stays when its opening bracket is inside, ``%`` always stays.
    """
    start, end = max(0, start), min(len(text), end)
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT or text[start] in _FINAL_PUNCT or text[start] in ")]"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_PUNCT or text[end - 1] == "("):
            end -= 1
        start, end = _without_edge_quotes(text, start, end)
        while end > start and text[end - 1] in _FINAL_PUNCT and not direct:
            end -= 1
        while end > start and text[end - 1] in ")]" and text[start:end].count(_OPEN_OF[text[end - 1]]) < text[start:end].count(text[end - 1]):
            end -= 1
        if (start, end) == before:
            break
    if end > start:
        end = _closing_mark_back(text, start, end)
    return (start, end) if end > start else None


def _closing_mark_back(text: str, start: int, end: int) -> int:
    """The end past a quoted phrase's closing mark (and the punctuation before it) when the span
    opens the phrase but stops short of its mark: 'the plan was "not ready' -> '... "not ready."'."""
    piece = text[start:end]
    for opener, closer in (('"', '"'), ("“", "”")):
        unpartnered = piece.count('"') % 2 == 1 if opener == closer else piece.count(opener) > piece.count(closer)
        if unpartnered:
            tail = end
            while tail < len(text) and tail - end < 2 and text[tail] in ".,!?":
                tail += 1
            if tail < len(text) and text[tail] == closer:
                return tail + 1
    return end


_OPEN_OF = {")": "(", "]": "["}
_PAIRED_QUOTES = {"“": "”", "‘": "’", "«": "»"}


def _without_edge_quotes(text: str, start: int, end: int) -> CharSpan:
    """Drop quote marks at the edges that enclose the whole span or have no partner inside it;
    keep a quoted phrase's marks ('the plan was "not ready"')."""
    if end - start >= 2 and _encloses(text[start], text[end - 1]):
        return start + 1, end - 1
    if start < end and text[start] in _ALL_QUOTES and not _partnered(text[start:end], 0):
        start += 1
    if end > start and text[end - 1] in _ALL_QUOTES and not _partnered(text[start:end], end - start - 1):
        end -= 1
    return start, end


def _encloses(first: str, last: str) -> bool:
    return (first == '"' and last == '"') or _PAIRED_QUOTES.get(first) == last or (first == "'" and last == "'")


def _partnered(piece: str, index: int) -> bool:
    """Whether the quote mark at ``piece[index]`` has its partner inside ``piece``."""
    mark = piece[index]
    if mark == '"':
        return piece.count('"') % 2 == 0
    if mark in _PAIRED_QUOTES:
        return _PAIRED_QUOTES[mark] in piece[index + 1 :]
    opening = next((o for o, c in _PAIRED_QUOTES.items() if c == mark), None)
    if opening is not None:
        return opening in piece[:index]
    return False  # a straight single quote at an edge: an apostrophe or an unmatched mark

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
from collections.abc import Iterator
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.anaphora import resolve_reference
from kg.extract.lexicon import Lexicon
from kg.extract.spans import CharSpan, EntityRef, doc_text

QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}
QUOTE_CHARS = frozenset("“”\"«»")
_QUOTE_RE = re.compile(r"“[^”]{2,}?”|\"[^\"\n]{2,}?\"|«[^»]{2,}?»")
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
        if span[0] - last.content[1] > 600:
            continue
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

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
from kg.extract.spans import CharSpan, EntityRef

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
            attribution = _verb_cue(token, number, lexicon) or _prepositional_cue(token, number, sent, lexicon)
            if attribution is not None:
                found.append(attribution)
    found.extend(_continued_quotes(doc, found))
    return sorted(found, key=lambda a: a.content[0])


# -- verb cues --------------------------------------------------------------------------------
def _verb_cue(token: Token, sentence: int, lexicon: Lexicon) -> Attribution | None:
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD":
        return None
    lemma = token.lemma_.lower()
    particle = lexicon.phrasal_cues.get(lemma)
    particle_token = next((c for c in token.children if c.dep_ == "prt" and c.lower_ == particle), None) if particle else None
    is_clausal = lemma in lexicon.clausal_cues
    if not (is_clausal or lemma in lexicon.nominal_cues or particle_token is not None):
        return None
    if particle and particle_token is None and not is_clausal:
        return None
    content = _clausal_content(token)
    rule = "verb-clause"
    if content is None and lemma in lexicon.nominal_cues and lemma not in lexicon.clause_only_cues:
        content = _object_content(token)
        rule = "verb-object"
    if content is None:
        return None
    source_head = _source_head(token)
    if source_head is None:
        return None
    if source_head.lower_ in ("it", "this", "that") and token.head.lemma_ in ("be",):
        return None  # "it is said that": no source
    source = _noun_phrase(source_head)
    cue_end = (particle_token or token)
    cue = (token.idx, cue_end.idx + len(cue_end.text))
    content_span = _content_chars(token.doc, content)
    if content_span is None or _overlaps(content_span, source) or _overlaps(content_span, cue):
        return None
    direct = _is_quoted(token.doc, content_span)
    return Attribution(sentence, source, cue, content_span, direct, resolve_reference(source_head, lexicon), rule if not direct else "quote")


def _clausal_content(verb: Token) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ in ("ccomp", "parataxis") and child.i != verb.i:
            return list(child.subtree)
    # "“We will ship it,” said Dana": the quote is sometimes the verb's head (verb is parataxis)
    if verb.dep_ in ("parataxis",) and verb.head.i < verb.i:
        head = verb.head
        return [t for t in head.subtree if t.i < verb.i and not _in_subtree(t, verb)]
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
    """The source's noun phrase: the head's subtree minus appositions and relative clauses."""
    cut = {"appos", "relcl", "acl", "punct", "prep"} if head.ent_type_ else {"relcl", "acl", "punct"}
    tokens = [head]
    stack = [c for c in head.children if c.dep_ not in cut]
    while stack:
        node = stack.pop()
        tokens.append(node)
        stack.extend(c for c in node.children)
    tokens.sort(key=lambda t: t.i)
    # keep the contiguous block around the head
    start = end = tokens.index(head)
    while start > 0 and tokens[start - 1].i == tokens[start].i - 1:
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1].i == tokens[end].i + 1:
        end += 1
    first, last = tokens[start], tokens[end]
    return first.idx, last.idx + len(last.text)


def _content_chars(doc: Doc, tokens: list[Token]) -> CharSpan | None:
    """Content span without a leading complementizer and edge punctuation.

    A quoted statement runs to its closing quote mark (its final period included, the comma
    that hands over to the attribution excluded).
    """
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and (ordered[0].lower_ == "that" and ordered[0].dep_ == "mark" or ordered[0].is_punct and ordered[0].text not in QUOTE_CHARS or ordered[0].is_space):
        ordered.pop(0)
    while ordered and ((ordered[-1].is_punct and ordered[-1].text not in QUOTE_CHARS) or ordered[-1].is_space):
        ordered.pop()
    if len(ordered) < 2:
        return None
    start, end = ordered[0].idx, ordered[-1].idx + len(ordered[-1].text)
    return _to_closing_quote(doc.text, start, end)


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
    for words in lexicon.prepositional_cues:
        end = token.i + len(words)
        if end > sent.end or [t.lower_ for t in token.doc[token.i : end]] != list(words):
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
    for match in _QUOTE_RE.finditer(doc.text):
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
    text = doc.text[span[0] : span[1]]
    before = doc.text[max(0, span[0] - 2) : span[0]]
    return text[:1] in QUOTE_CHARS or any(ch in QUOTE_CHARS for ch in before)


def _overlaps(a: CharSpan | None, b: CharSpan | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _in_subtree(token: Token, root: Token) -> bool:
    return root.left_edge.i <= token.i <= root.right_edge.i and any(a.i == root.i for a in [token, *token.ancestors])

"""Naming rules applied while an article is extracted: aliases the text itself teaches.

An article that writes "Nimbara Labs (formerly Nimbus AI)", "Nimbara Labs, also known as Nimbus",
"Safe Superintelligence (SSI)" or "Facebook's parent company, Meta Platforms," states that two names
denote one entity; :func:`find_learned_aliases` finds those statements so the extractor can give
both mentions one id and record why (rule + sentence). A phrase like "the DeepSeek app" names a
product, not the company in it: :func:`product_name` says so before the company gazetteer can.

Every rule is deliberately narrow: a missed alias costs one extra node, a wrong one merges two
real-world entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span

from kg.extract.naming import clean_surface
from kg.extract.spans import doc_text, sentence_numbers
from kg.extract.resolution_data import ResolutionData
from kg.schema import EntityType

CharSpan = tuple[int, int]

_WORDS_NOT_IN_ACRONYMS = frozenset({"of", "for", "and", "the", "&", "on", "in", "at", "de"})
_CAPITALIZED_RUN = re.compile(r"[A-Z0-9][\w.&’'-]*(?:\s+(?:[A-Z0-9][\w.&’'-]*|of|for|and|&)){0,5}")
#: An acronym in parentheses right after a name: "Safe Superintelligence (SSI)".
ACRONYM_AFTER_NAME = re.compile(r"\s*\(\s*([A-Z][A-Z0-9&.]{1,9})\s*\)")


@dataclass(frozen=True, slots=True)
class LearnedAlias:
    """One article's statement that ``alias_text`` names the entity mentioned at ``target``."""

    target: CharSpan
    alias_text: str
    alias: CharSpan | None  # the alias's own entity mention, when it has one
    rule: str  # "formerly", "also-known-as", "acronym", "apposition"
    sentence: int  # index of the sentence in the doc


def find_learned_aliases(doc: Doc, data: ResolutionData) -> list[LearnedAlias]:
    """Aliases stated in ``doc``: "X (formerly Y)", "X, also known as Y", "X (XY)", "X, Y," (appositions)."""
    ents = list(doc.ents)
    starts = {ent.start_char: ent for ent in ents}
    sentence_of = sentence_numbers(doc.sents)
    found: list[LearnedAlias] = []
    for index, ent in enumerate(ents):
        sentence = sentence_of.get(ent.sent.start, 0)
        alias = _cued_alias(doc, ent, starts, data) or _acronym(doc, ent, starts) or _apposition(ents, index)
        if alias is not None:
            text, span, rule = alias
            if text and clean_surface(text) != clean_surface(ent.text):
                found.append(LearnedAlias((ent.start_char, ent.end_char), clean_surface(text), span, rule, sentence))
    return found


def _cue_pattern(data: ResolutionData) -> re.Pattern[str]:
    return _compiled_cues(tuple(cue for cue, _ in data.alias_cues))


@cache
def _compiled_cues(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(cue) for cue in cues)
    return re.compile(rf"\s*([(,])\s*({alternation})\s+", re.IGNORECASE)


def _closes(doc: Doc, end: int, opener: str) -> bool:
    """The alias ends its parenthesis or its comma-delimited aside (and is not a possessive)."""
    rest = doc_text(doc)[end : end + 3]
    if opener == "(":
        return rest.lstrip().startswith(")")
    return rest.strip() == "" or rest.lstrip()[:1] in (",", ".", ";", ")")


def _cued_alias(doc: Doc, ent: Span, starts: dict[int, Span], data: ResolutionData) -> tuple[str, CharSpan | None, str] | None:
    match = _cue_pattern(data).match(doc_text(doc), ent.end_char)
    if match is None:
        return None
    opener, cue = match.group(1), match.group(2).lower()
    rule = dict(data.alias_cues)[cue]
    begin = match.end()
    other = starts.get(begin)
    if other is not None:
        if other.sent.start != ent.sent.start or not _closes(doc, other.end_char, opener):
            return None
        return other.text, (other.start_char, other.end_char), rule
    run = _CAPITALIZED_RUN.match(doc_text(doc), begin)
    if run is None or not _closes(doc, run.end(), opener):
        return None
    return run.group(0), None, rule


def _acronym(doc: Doc, ent: Span, starts: dict[int, Span]) -> tuple[str, CharSpan | None, str] | None:
    match = ACRONYM_AFTER_NAME.match(doc_text(doc), ent.end_char)
    if match is None or not acronym_of(match.group(1), ent.text):
        return None
    begin = match.start(1)
    other = starts.get(begin)
    span = (other.start_char, other.end_char) if other is not None and other.end_char == match.end(1) else None
    return match.group(1), span, "acronym"


def acronym_of(acronym: str, name: str) -> bool:
    """True when ``acronym`` abbreviates ``name``: every word's initial, in order, plus optional
    further letters from inside a word ("SSI" for "Safe Superintelligence", "CMU" for "Carnegie
    Mellon University"; function words like "of" may be skipped)."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    if len(letters) < 2 or len(words) < 2:
        return False

    def match(li: int, wi: int) -> bool:
        if wi == len(words):
            return li == len(letters)
        word = words[wi]
        if word in _WORDS_NOT_IN_ACRONYMS and match(li, wi + 1):
            return True
        if li >= len(letters) or letters[li] != word[0]:
            return False
        # take the initial, then possibly more letters from later in the same word
        return any(match(end, wi + 1) for end in _inner_ends(letters, li + 1, word[1:]))

    return match(0, 0)


def _inner_ends(letters: list[str], start: int, rest: str) -> Iterator[int]:
    """Positions in ``letters`` reachable by matching a subsequence of ``rest`` from ``start``."""
    yield start
    position = 0
    index = start
    while index < len(letters):
        found = rest.find(letters[index], position)
        if found < 0:
            return
        position = found + 1
        index += 1
        yield index


def _apposition(ents: list[Span], index: int) -> tuple[str, CharSpan | None, str] | None:
    """"Facebook's parent company, Meta Platforms, ...": two organization names in apposition.

    Lists ("Alibaba, Tencent, and ByteDance") and possessive descriptions ("OpenAI's rival,
    Anthropic") are excluded by the parse and by the neighbours of the pair.
    """
    if index + 1 >= len(ents):
        return None
    first, second = ents[index], ents[index + 1]
    doc = first.doc
    if first.label_ != EntityType.ORGANIZATION or second.label_ != EntityType.ORGANIZATION or first.sent.start != second.sent.start:
        return None
    if doc_text(doc)[first.end_char : second.start_char] != ", ":
        return None
    after = doc_text(doc)[second.end_char : second.end_char + 12]
    if not re.match(r"\s*(?:,|\.|;|$)", after) or re.match(r"\s*,?\s*(?:and|or|&)\b", after):
        return None
    if index + 2 < len(ents) and ents[index + 2].start_char - second.end_char <= 2:
        return None  # a third name right after: a list
    if index > 0 and first.start_char - ents[index - 1].end_char <= 2 and doc_text(doc)[ents[index - 1].end_char : first.start_char].strip() == ",":
        return None  # a name right before: a list
    root = second.root
    if root.dep_ != "appos" or not (first.start <= root.head.i < first.end):
        return None
    if first.root.dep_ == "poss" or any(t.dep_ == "conj" for t in (*first.root.children, *root.children)):
        return None
    return second.text, (second.start_char, second.end_char), "apposition"


def product_name(doc: Doc, ent: Span, data: ResolutionData) -> str | None:
    """"the DeepSeek app" / "the DeepSeek chatbot": the product's name ("DeepSeek app"), or None.

    Only a company name directly followed by a product word counts; "DeepSeek's app" keeps
    DeepSeek the company (the possessive names the owner).
    """
    rest = doc_text(doc)[ent.end_char : ent.end_char + 16].lower()
    for noun in sorted(data.product_nouns, key=len, reverse=True):
        if re.match(rf" {re.escape(noun)}\b", rest):
            return f"{clean_surface(ent.text)} {data.product_nouns[noun]}"
    return None

"""Faster drop-in versions of two base-model components, with exactly the same output.

The base model's ``attribute_ruler`` (179 token patterns mapping tags to parts of speech and
morphology) runs spaCy's general ``Matcher``, which tries every pattern at every token and calls a
Python predicate for each ``IN``/``REGEX`` test: ~6 ms an article, as much as the parser. Its
patterns are all fixed-length token tests, so :class:`IndexedAttributeRuler` finds the same
matches by looking candidate patterns up by the token's lowercase form and tag, and applies them
in the same order. The rule ``lemmatizer`` sets each lemma through Python one token at a time
(~5 ms an article); :class:`MemoLemmatizer` memoizes the lemma of each (form, part of speech,
morphology), which is all it depends on, and writes the doc's lemmas in one array.

:func:`accelerate` switches a loaded pipeline's components to these classes (subclasses of
spaCy's: their settings, data and serialization are unchanged, so a saved pipeline loads as
stock spaCy and gives the same annotations); a component whose patterns or mode they do not
cover is left as it is. ``tests/test_fast_base.py`` checks the output is identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.util import minibatch

#: token attributes the indexed ruler can test, by their name in a pattern; IS_SPACE is a flag
_COLUMNS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [LOWER, TAG, DEP, IS_SPACE]

#: rows (lowercase form, tag, dependency, space) whose one-token matches are kept, per ruler
MEMO_ROWS = 200_000

TokenTest = Callable[[tuple[int, int, int, int]], bool]


class Unsupported(ValueError):
    """A pattern the indexed ruler does not handle (the component is left as it is)."""


def _value_test(column: int, value: Any, strings: Any) -> tuple[TokenTest, set[int] | None]:
    """A test of one token attribute, and the exact values it accepts when it is a finite set (for the index)."""
    if column == 3:  # IS_SPACE: a boolean flag
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE {value!r}")
        want = int(value)
        return (lambda row: row[3] == want), None
    if isinstance(value, str):
        key = strings.add(value) if value else 0
        return (lambda row: row[column] == key), {key}
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            keys = {strings.add(a) if a else 0 for a in arg}
            return (lambda row: row[column] in keys), set(keys)
        if op == "NOT_IN" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            keys = {strings.add(a) if a else 0 for a in arg}
            return (lambda row: row[column] not in keys), None
        if op == "REGEX" and isinstance(arg, str):
            regex = re.compile(arg)
            return (lambda row: bool(regex.search(strings[row[column]]))), None
    raise Unsupported(f"{value!r}")


def _token_test(spec: dict[str, Any], strings: Any) -> tuple[TokenTest, tuple[int, set[int]] | None]:
    """One pattern token's test (all of its attribute tests) and an index entry (column, values) if any."""
    tests: list[TokenTest] = []
    index: tuple[int, set[int]] | None = None
    for name, value in spec.items():
        if name not in _COLUMNS:
            raise Unsupported(f"attribute {name}")
        test, values = _value_test(_COLUMNS[name], value, strings)
        tests.append(test)
        # prefer the lowercase form (most selective), then the tag
        if values is not None and (index is None or _COLUMNS[name] < index[0]):
            index = (_COLUMNS[name], values)
    if len(tests) == 1:
        return tests[0], index
    return (lambda row: all(t(row) for t in tests)), index


class _CompiledPattern:
    __slots__ = ("attr_id", "match_id", "tests")

    def __init__(self, attr_id: int, match_id: int, tests: list[TokenTest]) -> None:
        self.attr_id, self.match_id, self.tests = attr_id, match_id, tests


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler with the matching done by an index of its fixed-length patterns."""

    _compiled: tuple[dict[int, list[_CompiledPattern]], dict[int, list[_CompiledPattern]], list[_CompiledPattern]] | None

    def compile(self) -> None:
        """Build the index from the ruler's patterns (raises :class:`Unsupported`)."""
        strings = self.vocab.strings
        by_lower: dict[int, list[_CompiledPattern]] = {}
        by_tag: dict[int, list[_CompiledPattern]] = {}
        scan: list[_CompiledPattern] = []
        for attr_id, entry in enumerate(self.patterns):
            match_id = strings.add(str(attr_id))
            for pattern in entry["patterns"]:
                if not pattern or any(not isinstance(t, dict) or "OP" in t for t in pattern):
                    raise Unsupported("operator or empty pattern")
                compiled = [_token_test(t, strings) for t in pattern]
                item = _CompiledPattern(attr_id, match_id, [test for test, _ in compiled])
                first = compiled[0][1]
                if first is None or first[0] > 1:
                    scan.append(item)
                else:
                    table = by_lower if first[0] == 0 else by_tag
                    for key in first[1]:
                        table.setdefault(key, []).append(item)
        # the ruler's own bookkeeping must agree with the pattern list it was built from
        if len(self.attrs) != len(self.patterns):
            raise Unsupported("attrs and patterns disagree")
        self._compiled = (by_lower, by_tag, scan)
        self._row_matches = {}

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if getattr(self, "_compiled", None) is None:
            return super().match(doc)
        by_lower, by_tag, scan = self._compiled  # type: ignore[misc]
        # one-token patterns depend on the token's row (lowercase form, tag, dependency, space)
        # alone: their matches are memoized by row
        memo = self.__dict__.setdefault("_row_matches", {})
        if len(memo) > MEMO_ROWS:
            memo.clear()
        rows = [tuple(r) for r in doc.to_array(_ARRAY_ATTRS).tolist()]
        n = len(rows)
        found: set[tuple[int, int, int, int]] = set()
        empty: list[_CompiledPattern] = []
        for start, row in enumerate(rows):
            entry = memo.get(row)
            if entry is None:
                candidates = [*by_lower.get(row[0], empty), *by_tag.get(row[1], empty), *scan]
                single = tuple((p.attr_id, p.match_id) for p in candidates if len(p.tests) == 1 and p.tests[0](row))
                longer = tuple(p for p in candidates if len(p.tests) > 1 and p.tests[0](row))
                entry = memo[row] = (single, longer)
            single, longer = entry
            for attr_id, match_id in single:
                found.add((attr_id, match_id, start, start + 1))
            for item in longer:
                end = start + len(item.tests)
                if end <= n and all(test(rows[start + k]) for k, test in enumerate(item.tests[1:], 1)):
                    found.add((item.attr_id, item.match_id, start, end))
        return sorted(found)

    def set_annotations(self, doc: Doc, matches: Iterable[tuple[int, int, int, int]]) -> None:
        matches = list(matches)
        targets = []
        for attr_id, _match_id, start, end in matches:
            index = self.indices[attr_id]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:  # let spaCy raise its own error
                return super().set_annotations(doc, matches)
            targets.append((i, self.attrs[attr_id]))
        for i, attrs in targets:
            set_token_attrs(doc[i], attrs)

    # spaCy's AttributeRuler.__call__ calls match and set_annotations; pipe() goes through __call__

    def add(self, *args: Any, **kwargs: Any) -> None:  # patterns changed: index again
        super().add(*args, **kwargs)
        self._compiled, self._row_matches = None, {}

    def remove(self, *args: Any, **kwargs: Any) -> None:
        super().remove(*args, **kwargs)
        self._compiled, self._row_matches = None, {}

    def clear(self) -> None:
        super().clear()
        self._compiled, self._row_matches = None, {}


class MemoLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer, memoizing each (form, part of speech, morphology)'s lemma
    and writing a doc's lemmas as one array."""

    _memo: dict[tuple[int, int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        if not len(doc):
            return doc
        memo = self.__dict__.setdefault("_memo", {})
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].copy()
        strings = self.vocab.strings
        rows = columns[:, :3].tolist()
        current = lemmas.tolist()
        for i, (orth, pos, morph) in enumerate(rows):
            if not self.overwrite and current[i] != 0:
                continue
            key = (orth, pos, morph)
            lemma = memo.get(key)
            if lemma is None:
                lemma = memo[key] = strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(numpy.uint64))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for docs in minibatch(stream, size=batch_size):
            for doc in docs:
                yield self(doc)


def accelerate(nlp: Language) -> list[str]:
    """Switch the base model's attribute ruler and English rule lemmatizer to the classes above
    (same output); the names of the components switched."""
    switched = []
    for name, proc in nlp.pipeline:
        if type(proc) is AttributeRuler:
            proc.__class__ = IndexedAttributeRuler
            try:
                proc.compile()  # type: ignore[attr-defined]
            except Unsupported:
                proc.__class__ = AttributeRuler
                continue
            switched.append(name)
        elif type(proc) is EnglishLemmatizer and proc.mode == "rule":
            proc.__class__ = MemoLemmatizer
            switched.append(name)
    return switched


__all__ = ["IndexedAttributeRuler", "MemoLemmatizer", "Unsupported", "accelerate"]

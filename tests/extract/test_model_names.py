"""The model-name grammar on raw text: stems, versions, variants and where a name must stop."""

from __future__ import annotations

import pytest

from kg.extract.lexicon import load_lexicon
from kg.extract.model_names import ModelNameGrammar, find_model_names

GRAMMAR = ModelNameGrammar(load_lexicon())


def models(text: str) -> list[str]:
    return [m.name for m in find_model_names(text, GRAMMAR) if m.label == "Model"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alibaba launched Wan 2.2 last week.", ["Wan 2.2"]),
        ("Zhipu AI introduced GLM-4.5 and GLM-4.5 Air.", ["GLM-4.5", "GLM-4.5 Air"]),
        ("OpenAI is expected to release GPT-5.", ["GPT-5"]),
        ("the new Qwen3-Coder-Flash model", ["Qwen3-Coder-Flash"]),
        ("kimi-k2 and Kimi K2 are the same", ["kimi-k2", "Kimi K2"]),
        ("Llama 3.1 405B beat Claude 3.5 Sonnet", ["Llama 3.1 405B", "Claude 3.5 Sonnet"]),
        ("Meta's Llama series", ["Llama"]),
        ("DeepSeek's R1 tripled its users", ["DeepSeek R1"]),
        ("DeepSeek-V3.1 and DeepSeek R1", ["DeepSeek-V3.1", "DeepSeek R1"]),
        ("gpt-oss-120b runs on one GPU", ["gpt-oss-120b"]),
        ("o3-mini-high and GPT-4o-mini", ["o3-mini-high", "GPT-4o-mini"]),
        ("Mistral released Mistral 7B and Mixtral 8x7B", ["Mistral 7B", "Mixtral 8x7B"]),
        ("GPT-4 was 10 times cheaper", ["GPT-4"]),
        ("It ended with GPT-5.", ["GPT-5"]),
    ],
)
def test_model_names(text: str, expected: list[str]) -> None:
    assert models(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Claude Shannon founded information theory.",  # a person, not the model family
        "LlamaIndex raised money.",  # an organization whose name starts with a stem
        "Custom GPTs are popular.",  # plural common noun
        "Shakespeare wrote a sonnet.",  # variant word alone is nothing
        "Wan said hello.",  # an ambiguous stem needs a version
    ],
)
def test_not_model_names(text: str) -> None:
    assert models(text) == []


def test_bare_lab_stem_is_an_organization() -> None:
    found = [(m.text, m.label) for m in find_model_names("Mistral shipped a model.", GRAMMAR)]
    assert found == [("Mistral", "Organization")]

"""Entity ids are stable keys of canonical names."""

from __future__ import annotations

import pytest

from kg.extract.naming import clean_surface, entity_id, name_key


@pytest.mark.parametrize(
    ("entity_type", "name", "expected"),
    [
        ("Model", "GLM-4.5", "model:glm-4.5"),
        ("Model", "GLM 4.5", "model:glm-4.5"),
        ("Model", "glm-4.5", "model:glm-4.5"),
        ("Model", "Llama 3.1 405B", "model:llama-3.1-405b"),
        ("Organization", "DeepLearning.AI", "org:deeplearning-ai"),
        ("Organization", "Zhipu AI", "org:zhipu-ai"),
        ("Person", "José Núñez", "person:jose-nunez"),
        ("Place", "U.S.", "place:u-s"),
    ],
)
def test_entity_id(entity_type: str, name: str, expected: str) -> None:
    assert entity_id(entity_type, name) == expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("Meta's", "Meta"), ("Meta’s", "Meta"), ("the  Allen Institute", "Allen Institute"), ("U.S.", "U.S.")],
)
def test_clean_surface(surface: str, expected: str) -> None:
    assert clean_surface(surface) == expected


def test_versions_keep_their_dots_and_other_dots_go() -> None:
    assert name_key("Wan 2.2") == "wan-2.2"
    assert name_key("Character.AI") == "character-ai"


@pytest.mark.parametrize("name", ["GPT\u20115.1", "GPT\u20105.1", "GPT\u20135.1", "GPT-5.1"])
def test_unicode_dashes_key_like_a_hyphen(name: str) -> None:
    assert name_key(name) == "gpt-5.1"

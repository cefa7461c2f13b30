"""The relation claims of the two seed articles of ../shared/corpus (skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kg.articles.model import Article
from kg.articles.readers import read_articles
from kg.extract.extractor import extract_articles

SEEDS = Path(__file__).parents[2].parent / "shared" / "corpus" / "seeds"


@pytest.mark.corpus
def test_seed_relation_claims(nlp: Language) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present")
    articles = [a for a in read_articles([SEEDS]) if isinstance(a, Article)]
    found = set()
    for result in extract_articles(nlp, articles):
        names = {e.id: e.name for e in result.entities}
        for claim in result.claims:
            if claim.type != "SAID":
                found.add((claim.type, names.get(claim.subject or ""), names.get(claim.object or ""), claim.status or claim.role))
    assert found == {
        ("RELEASED", "OpenAI", "GPT-5", "planned"),
        ("RELEASED", "Alibaba", "Wan 2.2", "released"),
        ("RELEASED", "Zhipu AI", "GLM-4.5", "released"),
        ("DEVELOPS", "DeepSeek", "DeepSeek R1", None),
        ("DEVELOPS", "Meta", "Llama", None),
        ("AFFILIATED_WITH", "Andrew Ng", "DeepLearning.AI", "co-founder"),
        ("AFFILIATED_WITH", "Jeffrey Ding", "George Washington University", "assistant professor"),
    }

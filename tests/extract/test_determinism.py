"""Extraction output does not depend on batching or order, and one article never reports the same
claim twice (kg.extract.extractor.best_claims)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from spacy.language import Language

from kg.articles.model import Article
from kg.articles.readers import read_articles
from kg.document import ClaimRecord, to_json
from kg.extract.extractor import best_claims, extract_articles

ROOT = Path(__file__).resolve().parents[2]


def _articles() -> list[Article]:
    items = list(read_articles([ROOT / "examples" / "articles", ROOT / "tests" / "fixtures" / "articles"]))
    return [a for a in items if isinstance(a, Article)]


def _records(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [to_json(r) for r in result.records()]


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_the_same_article_gives_the_same_records_whatever_it_is_batched_with(nlp: Language, batch_size: int) -> None:
    articles = _articles()
    assert len(articles) >= 6
    alone = {a.id: _records(next(extract_articles(nlp, [a], batch_size=1))) for a in articles}
    batched = {r.article.id: _records(r) for r in extract_articles(nlp, list(reversed(articles)), batch_size=batch_size)}
    assert batched == alone


def test_claim_ids_are_unique_within_each_article(nlp: Language) -> None:
    for result in extract_articles(nlp, _articles()):
        ids = [c.id for c in result.claims]
        assert len(ids) == len(set(ids)), result.article.path
        keys = [(c.fact, c.sentence) for c in result.claims]
        assert len(keys) == len(set(keys)), result.article.path


def _claim(rule: str, confidence: float, start: int, end: int, *, source: bool = True, fact: str = "said|person:ana|abc", sentence: int = 0) -> ClaimRecord:
    spans = {"cue": [start, start + 4], "content": [start + 5, end]}
    if source:
        spans["source"] = [start, start + 3]
    return ClaimRecord(
        id=f"c-{rule}-{start}-{end}" + ("" if fact.endswith("abc") else "-" + fact[-3:]), fact=fact, type="SAID", subject="person:ana", object=None, article="a1", sentence=sentence,
        start=start, end=end, confidence=confidence, evidence="Ana said so.", rule=rule, spans=spans,
    )


@pytest.mark.parametrize(
    ("claims", "kept"),
    [
        ([_claim("tagger", 0.7, 0, 40), _claim("verb-clause", 0.8, 5, 40)], ["c-verb-clause-5-40"]),  # higher confidence
        ([_claim("quote", 0.8, 0, 40, source=False), _claim("tagger", 0.8, 2, 30)], ["c-tagger-2-30"]),  # names its source
        ([_claim("a", 0.8, 0, 30), _claim("b", 0.8, 0, 40)], ["c-b-0-40"]),  # wider span
        ([_claim("b", 0.8, 0, 40), _claim("a", 0.8, 0, 40)], ["c-a-0-40"]),  # then the rule name, whatever the order
        ([_claim("a", 0.8, 0, 40), _claim("a", 0.8, 0, 40)], ["c-a-0-40"]),  # the same report twice
        ([_claim("a", 0.8, 0, 40), _claim("a", 0.8, 50, 90, sentence=1)], ["c-a-0-40", "c-a-50-90"]),  # other sentence
        ([_claim("a", 0.8, 0, 40), _claim("a", 0.8, 0, 40, fact="said|person:ana|xyz")], ["c-a-0-40", "c-a-0-40-xyz"]),  # other fact
    ],
)
def test_best_claims_keeps_one_report_per_fact_and_sentence(claims: list[ClaimRecord], kept: list[str]) -> None:
    assert [c.id for c in best_claims(claims)] == kept
    assert [c.id for c in best_claims(list(reversed(claims)))] == kept  # order does not matter


def test_best_claims_never_returns_the_same_id_twice() -> None:
    one = _claim("a", 0.8, 0, 40)
    other_fact = dataclasses.replace(one, fact="said|person:ana|xyz")  # same id, another fact: a contract breach
    result = best_claims([one, other_fact])
    assert len({c.id for c in result}) == len(result) == 1
    json.dumps([c.id for c in result])

"""Incremental ingestion against the real Neo4j: unchanged articles are skipped *before* extraction
(content hashes looked up in batches), changed ones re-extracted and replaced."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from spacy.language import Language

from kg.articles.model import Article
from kg.articles.readers import read_articles
from kg.extract.pipeline import load_pipeline
from kg.ingest import IngestStats, ingest
from kg.neo4j.loader import GraphLoader, LoadSummary

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
OPEN_MODELS = "2025-07-28-open-models.md"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


class CountingExtraction:
    """Wraps the article stream that reaches extraction, to count what is really extracted."""

    def __init__(self) -> None:
        self.extracted: list[str] = []

    def __call__(self, result: Any) -> None:
        self.extracted.append(result.article.id)


def run(nlp: Language, driver: Driver, database: str, folder: Path, **kwargs: Any) -> tuple[LoadSummary, IngestStats, CountingExtraction]:
    counter = CountingExtraction()
    stats = IngestStats()
    articles = [a for a in read_articles([folder]) if isinstance(a, Article)]
    summary = ingest(nlp, articles, GraphLoader(driver, database), on_article=counter, stats=stats, **kwargs)
    return summary, stats, counter


def graph_counts(driver: Driver, database: str) -> dict[str, int]:
    nodes, _, _ = driver.execute_query("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n", database_=database)
    rels, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n", database_=database)
    return {r["label"]: r["n"] for r in nodes} | {f"rel:{r['t']}": r["n"] for r in rels}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "articles"
    shutil.copytree(EXAMPLES, target)
    return target


def test_second_run_extracts_nothing_and_changes_nothing(clean_db: Driver, neo4j_settings: Neo4jSettings, nlp: Language, folder: Path) -> None:
    db = neo4j_settings.database
    first, stats, counter = run(nlp, clean_db, db, folder)
    n = first.articles_created
    assert n >= 4 and stats.extracted == n == len(counter.extracted) and stats.skipped_unchanged == 0
    before = graph_counts(clean_db, db)

    again, stats, counter = run(nlp, clean_db, db, folder)
    assert stats.read == n and stats.skipped_unchanged == n
    assert stats.extracted == 0 and counter.extracted == []  # nothing reached the NLP
    assert again.articles_unchanged == n and again.articles_created == again.articles_updated == 0
    assert graph_counts(clean_db, db) == before


def test_a_changed_article_is_reextracted_and_replaced(clean_db: Driver, neo4j_settings: Neo4jSettings, nlp: Language, folder: Path) -> None:
    db = neo4j_settings.database
    first, _, _ = run(nlp, clean_db, db, folder)
    path = folder / OPEN_MODELS
    old = next(a for a in read_articles([path]) if isinstance(a, Article))
    assert _mentions(clean_db, db, old.id, "Wan 2.2")

    # the same article (same url, so the same id), edited: Wan 2.2 is gone, a new model appears
    text = path.read_text(encoding="utf-8")
    edited = text.replace("**Alibaba** launched **Wan 2.2**, an open-source video generation model.", "**Alibaba** launched **Qwen3-Coder-Flash**, an open-source coding model.")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    new = next(a for a in read_articles([path]) if isinstance(a, Article))
    assert new.id == old.id and new.content_hash != old.content_hash

    summary, stats, counter = run(nlp, clean_db, db, folder)
    assert counter.extracted == [new.id] and stats.extracted == 1  # only the edited article
    assert stats.skipped_unchanged == first.articles_created - 1
    assert summary.articles_updated == 1 and summary.articles_created == 0
    stored, _, _ = clean_db.execute_query("MATCH (a:Article {id: $id}) RETURN a.content_hash AS h", id=new.id, database_=db)
    assert stored[0]["h"] == new.content_hash
    assert _mentions(clean_db, db, new.id, "Qwen3-Coder-Flash")
    assert not _mentions(clean_db, db, new.id, "Wan 2.2")  # the old extraction is replaced, not added to


def test_hashes_are_looked_up_one_query_per_batch(clean_db: Driver, neo4j_settings: Neo4jSettings, nlp: Language, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = neo4j_settings.database
    first, _, _ = run(nlp, clean_db, db, folder)
    n = first.articles_created
    lookups: list[int] = []
    import kg.ingest

    real = kg.ingest.stored_hashes

    def counting(loader: GraphLoader, ids: list[str]) -> dict[str, str]:
        lookups.append(len(ids))
        return real(loader, ids)

    monkeypatch.setattr(kg.ingest, "stored_hashes", counting)
    _, stats, _ = run(nlp, clean_db, db, folder, lookup_batch=2)
    assert lookups == [2] * (n // 2) + ([n % 2] if n % 2 else [])
    assert stats.lookups == len(lookups) and stats.extracted == 0


def test_without_skipping_everything_is_extracted_and_left_unchanged(clean_db: Driver, neo4j_settings: Neo4jSettings, nlp: Language, folder: Path) -> None:
    db = neo4j_settings.database
    first, _, _ = run(nlp, clean_db, db, folder)
    again, stats, _ = run(nlp, clean_db, db, folder, skip_unchanged_articles=False)
    assert stats.extracted == first.articles_created and stats.skipped_unchanged == 0
    assert again.articles_unchanged == first.articles_created  # the loader's own hash check


def _mentions(driver: Driver, database: str, article_id: str, name: str) -> bool:
    rows, _, _ = driver.execute_query(
        "MATCH (:Article {id: $id})-[:MENTIONS]->(e:Entity) WHERE e.name = $name OR $name IN coalesce(e.aliases, []) RETURN count(*) AS n",
        id=article_id, name=name, database_=database,
    )
    return rows[0]["n"] > 0

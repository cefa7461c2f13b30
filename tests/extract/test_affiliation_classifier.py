"""The learned (person, organization) affiliation classifier: candidates, features, its claims, config."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kg.extract import affiliation_classifier as ac
from kg.extract.lexicon import load_lexicon
from kg.extract.relation_classifier import RelationClassifier
from kg.resources import pipelines_dir


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Surrey skipper Jane Roe praised Kent and Essex.", 3),
        ("Nothing here names a person.", 0),
    ],
)
def test_candidates_pair_people_with_organizations_of_a_sentence(nlp: Language, text: str, count: int) -> None:
    assert len(list(ac.candidates(nlp(text)))) == count


def test_features_are_context_only(nlp: Language) -> None:
    doc = nlp("Mira Murati, then OpenAI CTO, left in September.")
    lexicon = load_lexicon()
    [pair] = [p for p in ac.candidates(doc) if p.organization.text == "OpenAI"]
    feats = ac.features(pair, lexicon)
    assert "role_near=yes" in feats
    assert not any(word in f.lower() for f in feats for word in ("mira", "murati", "openai"))


def test_a_confident_classifier_adds_a_roleless_claim_the_rules_missed(nlp: Language) -> None:
    doc = nlp("Jane Roe praised the plan at Acme Corp on Monday.")
    lexicon = load_lexicon()
    pairs = list(ac.candidates(doc))
    assert pairs, "the fixture needs a person and an organization"
    always = RelationClassifier({}, 30.0)
    never = RelationClassifier({}, -30.0)
    found = ac.classified_affiliations(doc, [], always, 0.9, lexicon)
    assert {(a.role, a.rule) for a in found} == {(None, "affiliation-classifier")}
    assert ac.classified_affiliations(doc, [], never, 0.9, lexicon) == []
    # pairs the rules already link are left alone
    assert ac.classified_affiliations(doc, found, always, 0.9, lexicon) == []


def test_shipped_model_loads_and_is_configured(nlp: Language) -> None:
    finder = nlp.get_pipe("newskg_claims")
    assert finder.affiliation_classifier is not None and 0.5 <= finder.affiliation_threshold <= 1.0
    assert (Path(pipelines_dir()) / "affiliations" / "model.json").is_file()


def test_a_missing_affiliation_model_is_named(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="nowhere.json"):
        nlp.add_pipe("newskg_claims_v1", config={"affiliation_classifier": str(tmp_path / "nowhere.json")})

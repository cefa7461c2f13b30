"""The schema registry (kg/schema.py) reaches every consumer: loader Cypher, exports and page.

A tiny graph document is built from the registry alone (one entity of each stored type, one
claim of each claim type, one RELEASED claim per status value) and every table below is
parametrized over the registry, so a type added to it is checked here without editing this file.
``test_an_added_type_reaches_every_consumer`` proves that: it reruns this module in a fresh
interpreter with a registry that stores one more entity type and holds one more claim type, and
requires every check to pass for them too. docs/schema.md ("Changing the schema") is the
checklist this keeps true.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from kg import schema
from kg.document import CLAIM_TYPES, ENTITY_TYPES, ArticleRecord, ClaimRecord, EntityRecord, MentionRecord, parse_line, to_json
from kg.export.csv_import import write_import_csv
from kg.export.document_source import graph_from_records
from kg.export.graphml import to_networkx
from kg.export.json_graph import graph_to_data
from kg.export.rdf import NKG, SCHEMA, to_rdf
from kg.neo4j import cypher
from kg.neo4j.rows import claim_row
from kg.viz import asset, render_html

ROOT = Path(__file__).resolve().parents[1]
STORED = schema.stored_entity_types()
CLAIM_TYPES_ = tuple(schema.CLAIMS)
RELATIONSHIP_TYPES = schema.relationship_claim_types()
#: (claim type, qualifier name) for every qualifier of every claim type
QUALIFIED = [(t, q.name) for t, spec in schema.CLAIMS.items() for q in spec.qualifiers]
RELEASE_STATUSES = tuple(schema.ReleaseStatus)


def _entity_id(entity_type: str) -> str:
    return f"{schema.ENTITIES[entity_type].id_prefix}:sample-{entity_type.lower()}"  # type: ignore[index]


def _ends(spec: schema.ClaimSpec) -> tuple[str | None, str | None]:
    subject = _entity_id(spec.subject_types[0]) if spec.subject_types else None
    obj = _entity_id(spec.object_types[0]) if spec.object_types else None
    return subject, obj


def _qualifier_value(qualifier: schema.Qualifier) -> str:
    return qualifier.values[0].value if qualifier.values else f"sample {qualifier.name}"


def _claims() -> list[ClaimRecord]:
    """One claim per claim type (its first qualifier values), plus one RELEASED per status."""
    variants: list[tuple[schema.ClaimSpec, dict[str, str]]] = []
    for spec in schema.CLAIMS.values():
        variants.append((spec, {q.name: _qualifier_value(q) for q in spec.qualifiers}))
    for status in RELEASE_STATUSES[1:]:
        variants.append((schema.CLAIMS[schema.ClaimType.RELEASED], {"status": status}))
    claims = []
    for n, (spec, qualifiers) in enumerate(variants):
        subject, obj = _ends(spec)
        parts = {"subject": subject, "object": obj, "speaker": subject, "statement": f"digest{n}", **qualifiers}
        said = {"statement": "The sample model is ready for everyone today.", "cue": "said", "source_text": "Sample", "direct": True, "spans": {"cue": [0, 4], "content": [5, 40]}, "about": []} if spec.report_fields else {}
        claims.append(
            ClaimRecord(
                id=f"c-{n}", fact=schema.fact_key(spec.type, **parts), type=spec.type, subject=subject, object=obj, article="a1",
                sentence=0, start=0, end=40, confidence=0.9, evidence="A sample sentence.", rule="test", **qualifiers, **said,  # type: ignore[arg-type]
            )
        )  # fmt: skip
    return claims


CLAIMS = _claims()


def _records() -> list[object]:
    text = "A sample article naming one entity of each type."
    records: list[object] = [ArticleRecord("a1", "Sample", "2025-01-02", "Sample News", "https://example.org/a1", None, "h1", text)]
    for t in STORED:
        records.append(EntityRecord(_entity_id(t), t, f"Sample {t}"))
        records.append(MentionRecord(_entity_id(t), "a1", 0, 6, "Sample", 0))
    return [*records, *CLAIMS]


@pytest.fixture(scope="module")
def graph():  # type: ignore[no-untyped-def]
    problems: list[str] = []
    # Through the document format and back: the records must survive JSON Lines as written.
    lines = [to_json(r) for r in _records()]  # type: ignore[arg-type]
    records = [parse_line(line, n) for n, line in enumerate(lines, start=1)]
    built = graph_from_records(records, on_problem=problems.append)
    assert problems == []
    return built


@pytest.fixture(scope="module")
def rdf(graph):  # type: ignore[no-untyped-def]
    return to_rdf(graph)


@pytest.fixture(scope="module")
def graphml(graph):  # type: ignore[no-untyped-def]
    return to_networkx(graph)


@pytest.fixture(scope="module")
def json_data(graph):  # type: ignore[no-untyped-def]
    return graph_to_data(graph)


@pytest.fixture(scope="module")
def csv_dir(graph, tmp_path_factory):  # type: ignore[no-untyped-def]
    directory = tmp_path_factory.mktemp("csv")
    write_import_csv(graph, directory)
    return directory


@pytest.fixture(scope="module")
def page(graph):  # type: ignore[no-untyped-def]
    html = render_html(graph)
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    return data, data["schema"]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _claim_of(claim_type: str, **qualifiers: str) -> ClaimRecord:
    return next(c for c in CLAIMS if c.type == claim_type and all(getattr(c, k) == v for k, v in qualifiers.items()))


def _ref(name: str) -> URIRef:
    prefix, _, local = name.partition(":")
    return {"schema": SCHEMA, "nkg": NKG}[prefix][local]


# --------------------------------------------------------------------------------------------
# Entity types
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entity_type", STORED)
def test_entity_type_reaches_the_loader(entity_type: str) -> None:
    label = schema.ENTITIES[entity_type].label  # type: ignore[index]
    assert entity_type in ENTITY_TYPES  # the loader accepts it
    assert f"SET e:{label}, e.type = '{entity_type}'" in cypher.UPSERT_ENTITIES[entity_type]
    # every other type's statement removes this label (an entity that changes type)
    others = [t for t in STORED if t != entity_type]
    assert all(f":{label}" in cypher.UPSERT_ENTITIES[t].split("REMOVE", 1)[1] for t in others)


@pytest.mark.parametrize("entity_type", STORED)
def test_entity_type_reaches_rdf(entity_type: str, rdf) -> None:  # type: ignore[no-untyped-def]
    node = next(s for s in rdf.subjects(SCHEMA.identifier, Literal(_entity_id(entity_type))))
    classes = set(rdf.objects(node, RDF.type))
    assert {_ref(c) for c in schema.ENTITIES[entity_type].rdf_classes} <= classes  # type: ignore[index]


@pytest.mark.parametrize("entity_type", STORED)
def test_entity_type_reaches_graphml_json_csv_and_page(entity_type: str, graphml, json_data, csv_dir, page) -> None:  # type: ignore[no-untyped-def]
    entity = _entity_id(entity_type)
    assert graphml.nodes[entity]["type"] == entity_type
    assert {"id": entity, "type": entity_type}.items() <= next(n for n in json_data["nodes"] if n["id"] == entity).items()
    rows = _csv_rows(csv_dir / f"nodes-{entity_type}.csv")
    assert [(r["id:ID(Entity)"], r[":LABEL"]) for r in rows] == [(entity, f"Entity;{entity_type}")]
    data, page_schema = page
    assert entity_type in page_schema["entity_colors"]
    assert any(n["id"] == entity and n["type"] == entity_type for n in data["nodes"])


@pytest.mark.parametrize("entity_type", schema.unstored_entity_types())
def test_unstored_types_are_rejected_by_the_loader(entity_type: str) -> None:
    assert entity_type not in ENTITY_TYPES
    assert entity_type not in cypher.ENTITY_LABELS


@pytest.mark.parametrize("entity_type", [*STORED, *(str(t) for t in schema.CLAIMS)])
def test_the_page_script_names_no_type(entity_type: str) -> None:
    """Colours and legend names come from the registry, not from a list in app.js (SAID's own
    panel logic aside)."""
    code = asset("app.js")
    if entity_type == schema.ClaimType.SAID:
        code = code.replace('"SAID"', "")
    assert re.search(rf"\b{entity_type}\b", code) is None


# --------------------------------------------------------------------------------------------
# Claim types
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", CLAIM_TYPES_)
def test_claim_type_reaches_the_loader(claim_type: str) -> None:
    spec = schema.CLAIMS[claim_type]  # type: ignore[index]
    assert claim_type in CLAIM_TYPES  # the loader accepts it
    assert f"c:{spec.label}, c.type = '{claim_type}'" in cypher.MERGE_CLAIMS[claim_type]
    derived = f"MERGE (s)-[r:{claim_type} {{claim: c.id}}]->(o)"
    assert (derived in cypher._SYNC_DERIVED) == spec.relationship
    assert (claim_type in cypher.DELETE_UNSUPPORTED_CLAIMS) == spec.relationship


@pytest.mark.parametrize("claim_type", CLAIM_TYPES_)
def test_claim_type_reaches_rdf(claim_type: str, graph, rdf) -> None:  # type: ignore[no-untyped-def]
    spec = schema.CLAIMS[claim_type]  # type: ignore[index]
    claim = _claim_of(claim_type)
    node = next(rdf.subjects(NKG.factKey, Literal(claim.fact)))
    assert NKG[spec.label] in set(rdf.objects(node, RDF.type))
    assert str(rdf.value(node, NKG.claimType)) == claim_type
    if spec.rdf_shortcut is not None:
        subject = next(rdf.subjects(SCHEMA.identifier, Literal(claim.subject)))
        obj = next(rdf.subjects(SCHEMA.identifier, Literal(claim.object)))
        assert set(rdf.predicates(subject, obj)) & {_ref(spec.rdf_shortcut), *(_ref(v.rdf_shortcut) for q in spec.qualifiers for v in q.values or ())}


@pytest.mark.parametrize("claim_type", CLAIM_TYPES_)
def test_claim_type_reaches_graphml_json_csv_and_page(claim_type: str, graphml, json_data, csv_dir, page) -> None:  # type: ignore[no-untyped-def]
    spec = schema.CLAIMS[claim_type]  # type: ignore[index]
    claim = _claim_of(claim_type)
    assert any(c["id"] == claim.fact and c["type"] == claim_type for c in json_data["claims"])
    assert next(c for c in json_data["claims"] if c["id"] == claim.fact)["verb"] == schema.caption(claim_type, **{q.name: getattr(claim, q.name) for q in spec.qualifiers})
    claim_rows = _csv_rows(csv_dir / f"nodes-{spec.label}.csv")
    assert any(r["id:ID(Claim)"] == claim.fact and r[":LABEL"] == f"Claim;{spec.label}" and r["type"] == claim_type for r in claim_rows)
    data, page_schema = page
    assert any(c["id"] == claim.fact for c in data["claims"])
    if spec.relationship:
        assert any(link["type"] == claim_type and link["claim"] == claim.fact for link in json_data["links"])
        assert any(d["type"] == claim_type and d.get("claim") == claim.fact for _, _, d in graphml.edges(data=True))
        rel_rows = _csv_rows(csv_dir / f"relationships-{claim_type}.csv")
        assert any(r[":START_ID(Entity)"] == claim.subject and r[":END_ID(Entity)"] == claim.object for r in rel_rows)
        assert page_schema["link_names"][claim_type] == spec.legend
        assert page_schema["link_colors"][claim_type] == spec.color
    else:
        assert not (csv_dir / f"relationships-{claim_type}.csv").exists()


@pytest.mark.parametrize("claim_type", CLAIM_TYPES_)
def test_claim_ends_have_registered_types(claim_type: str) -> None:
    spec = schema.CLAIMS[claim_type]  # type: ignore[index]
    assert set(spec.subject_types) | set(spec.object_types) <= set(STORED)
    assert spec.key and set(spec.key) <= {"subject", "object", "speaker", "statement", *(q.name for q in spec.qualifiers)}


# --------------------------------------------------------------------------------------------
# Qualifiers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("claim_type", "qualifier"), QUALIFIED)
def test_qualifier_reaches_the_loader(claim_type: str, qualifier: str) -> None:
    spec = schema.CLAIMS[claim_type]  # type: ignore[index]
    q = spec.qualifier(qualifier)
    claim = _claim_of(claim_type)
    assert claim_row(claim)[qualifier] == getattr(claim, qualifier)  # the loader's row carries it
    assert f"c.{qualifier} = row.{qualifier}" in cypher.MERGE_CLAIMS[claim_type]
    if spec.relationship:
        assert (f"r.{qualifier} = c.{qualifier}" in cypher._SYNC_DERIVED) == q.on_relationship  # type: ignore[union-attr]
    # part of the fact key or not, as declared
    changed = {**{k: "x" for k in spec.key}, qualifier: "other"}
    assert ("other" in schema.fact_key(claim_type, **changed).split("|")) == q.in_fact_key  # type: ignore[union-attr]


@pytest.mark.parametrize(("claim_type", "qualifier"), QUALIFIED)
def test_qualifier_reaches_every_export(claim_type: str, qualifier: str, rdf, graphml, json_data, csv_dir) -> None:  # type: ignore[no-untyped-def]
    spec = schema.CLAIMS[claim_type]  # type: ignore[index]
    claim = _claim_of(claim_type)
    value = getattr(claim, qualifier)
    node = next(rdf.subjects(NKG.factKey, Literal(claim.fact)))
    assert str(rdf.value(node, NKG[qualifier])) == value
    assert next(c for c in json_data["claims"] if c["id"] == claim.fact)[qualifier] == value
    rows = _csv_rows(csv_dir / f"nodes-{spec.label}.csv")
    assert next(r for r in rows if r["id:ID(Claim)"] == claim.fact)[qualifier] == value
    if spec.relationship:
        assert next(link for link in json_data["links"] if link["claim"] == claim.fact)[qualifier] == value
        assert next(d for _, _, d in graphml.edges(data=True) if d.get("claim") == claim.fact)[qualifier] == value
        rel_rows = _csv_rows(csv_dir / f"relationships-{claim_type}.csv")
        assert next(r for r in rel_rows if r["claim"] == claim.fact)[qualifier] == value


@pytest.mark.parametrize("status", RELEASE_STATUSES)
def test_each_release_status_has_its_caption_and_predicate(status: str, rdf, json_data) -> None:  # type: ignore[no-untyped-def]
    value = schema.STATUS.value(status)
    claim = _claim_of(schema.ClaimType.RELEASED, status=status)
    link = next(link for link in json_data["links"] if link["claim"] == claim.fact)
    assert link["label"] == value.caption  # type: ignore[union-attr]
    subject = next(rdf.subjects(SCHEMA.identifier, Literal(claim.subject)))
    obj = next(rdf.subjects(SCHEMA.identifier, Literal(claim.object)))
    assert _ref(value.rdf_shortcut) in set(rdf.predicates(subject, obj))  # type: ignore[union-attr]


def test_the_release_query_documents_every_status() -> None:
    """queries/releases-by-organization.cypher filters by ``$status``; its doc names each value."""
    header = next(line for line in (ROOT / "queries/releases-by-organization.cypher").read_text(encoding="utf-8").splitlines() if "param: status" in line)
    assert all(re.search(rf"\b{s}\b", header) for s in RELEASE_STATUSES), header


def _query(name: str) -> str:
    return (ROOT / "queries" / f"{name}.cypher").read_text(encoding="utf-8")


@pytest.mark.parametrize("claim_type", RELATIONSHIP_TYPES)
def test_the_path_query_walks_every_derived_relationship(claim_type: str) -> None:
    """Cypher files cannot read the registry: queries/shortest-connection.cypher names the derived
    relationships in every one of its path patterns (facts and articles, and the depth-bounded
    facts-only searches)."""
    patterns = re.findall(r"shortestPath\(\(x\)-\[:([A-Z_|]+)\*", _query("shortest-connection"))
    assert len(patterns) >= 2 and all(claim_type in p.split("|") for p in patterns), patterns


@pytest.mark.parametrize("claim_type", [t for t in CLAIM_TYPES_ if t != schema.ClaimType.SAID])
def test_the_timeline_query_words_every_fact_type(claim_type: str) -> None:
    """queries/entity-timeline.cypher words each fact type (SAID is its ELSE branch)."""
    assert f"WHEN '{claim_type}' THEN" in _query("entity-timeline")


@pytest.mark.parametrize("status", RELEASE_STATUSES)
def test_the_timeline_query_words_every_release_status(status: str) -> None:
    caption = schema.STATUS.value(status).caption  # type: ignore[union-attr]
    assert f"' {caption} '" in _query("entity-timeline")


# --------------------------------------------------------------------------------------------
# Fact keys, relationships and the outlet rule
# --------------------------------------------------------------------------------------------


def test_fact_keys_of_extracted_claims_follow_the_registry() -> None:
    """Every claim of the fixture document (written by ``kg extract``) has the key the registry builds."""
    checked = 0
    types: dict[str, str] = {}
    for line_no, line in enumerate((ROOT / "tests/fixtures/analyst/graph.jsonl").read_text(encoding="utf-8").splitlines(), start=1):
        record = parse_line(line, line_no)
        if isinstance(record, EntityRecord):
            types[record.id] = record.type
        if not isinstance(record, ClaimRecord):
            continue
        spec = schema.CLAIMS[record.type]  # type: ignore[index]
        # its ends are of the types the registry declares (entities come before the claims)
        assert record.subject is None or types[record.subject] in spec.subject_types
        assert (types[record.object] in spec.object_types) if spec.object_types else record.object is None
        parts = record.fact.split("|")
        parts_by_name = dict(zip(spec.key, parts[1:], strict=True))
        assert schema.fact_key(record.type, **parts_by_name) == record.fact
        if "subject" in spec.key:
            assert (parts_by_name["subject"], parts_by_name["object"]) == (record.subject, record.object)
        for q in spec.qualifiers:
            if q.in_fact_key:
                assert parts_by_name[q.name] == getattr(record, q.name)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(("claim_type", "parts", "expected"), [
    ("RELEASED", {"subject": "org:zhipu-ai", "object": "model:glm-4.5", "status": "planned"}, "released|org:zhipu-ai|model:glm-4.5|planned"),
    ("DEVELOPS", {"subject": "org:x", "object": "model:y"}, "develops|org:x|model:y"),
    ("AFFILIATED_WITH", {"subject": "person:a", "object": "org:b", "role": "chief"}, "affiliated_with|person:a|org:b"),
    ("DERIVED_FROM", {"subject": "model:a", "object": "model:b"}, "derived_from|model:a|model:b"),
    ("SAID", {"speaker": "person:a", "statement": "0123abcd"}, "said|person:a|0123abcd"),
])  # fmt: skip
def test_fact_key(claim_type: str, parts: dict[str, str], expected: str) -> None:
    assert schema.fact_key(claim_type, **parts) == expected


def test_fact_key_rejects_an_unknown_type() -> None:
    with pytest.raises(ValueError, match="NOPE"):
        schema.fact_key("NOPE", subject="a", object="b")


@pytest.mark.parametrize("relationship", list(schema.Relationship))
def test_structural_relationships_are_the_ones_cypher_writes(relationship: schema.Relationship) -> None:
    made_by = schema.RELATIONSHIPS[relationship].made_by
    statements = {
        "load": " ".join(v for v in vars(cypher).values() if isinstance(v, str)),
        "resolve": (ROOT / "kg/resolve/cypher.py").read_text(encoding="utf-8"),
    }
    if made_by == "view":
        assert all(f":{relationship}" not in text for text in statements.values())
    else:
        assert f":{relationship}" in statements[made_by]


def test_the_outlet_rule_is_kg_outlets() -> None:
    from kg import outlets

    assert schema.OUTLET_RULE["independent"] is outlets.independent_keys
    assert schema.OUTLET_RULE["outlet"] is outlets.outlet_name
    assert f"a.outlet_rule = {schema.OUTLET_RULE_VERSION}" in cypher.UPSERT_ARTICLES
    assert f"a.outlet_rule = {schema.OUTLET_RULE_VERSION} THEN" in cypher.READ_ARTICLE_HASHES


#: (recognizer label, entity type) for every label of every registry type
NER_LABELS = [(label, t) for t, spec in schema.ENTITIES.items() for label in spec.ner_labels]


@pytest.mark.parametrize(("label", "entity_type"), NER_LABELS)
def test_each_recognizer_label_becomes_its_registry_type(label: str, entity_type: schema.EntityType) -> None:
    """newskg_entities (on a blank pipeline) turns each label of the statistical recognizer into
    the registry's type: a stored type into ``doc.ents``, another into ``doc.spans["newskg_other"]``."""
    spacy = pytest.importorskip("spacy")
    import kg.extract.domain_ner  # noqa: F401  (the doc._.newskg_ner_scores extension)
    from kg.extract.entity_recognizer import EntityRecognizer
    from kg.extract.lexicon import load_lexicon

    doc = spacy.blank("en")("Zentrix Orvel arrived on Tuesday.")
    doc.ents = [doc.char_span(0, 13, label=label)]
    EntityRecognizer(load_lexicon())(doc)
    found = {"ents": [(e.text, e.label_) for e in doc.ents], "other": [(s.text, s.label_) for s in doc.spans["newskg_other"]]}
    where, elsewhere = ("ents", "other") if schema.ENTITIES[entity_type].stored else ("other", "ents")
    assert found[where] == [("Zentrix Orvel", str(entity_type))]
    assert found[elsewhere] == []


@pytest.mark.parametrize("entity_type", STORED)
def test_entity_ids_use_the_registry_prefix(entity_type: schema.EntityType) -> None:
    from kg.extract.naming import entity_id

    assert entity_id(entity_type, "Zentrix Orvel 2.5") == f"{schema.ENTITIES[entity_type].id_prefix}:zentrix-orvel-2.5"


@pytest.mark.parametrize("member", [*schema.EntityType, *schema.ClaimType, *schema.ReleaseStatus])
def test_enum_members_serialize_as_their_strings(member: str) -> None:
    assert json.dumps(member) == json.dumps(member.value)  # type: ignore[attr-defined]
    assert f"{member}" == member.value  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# Adding a type changes nothing but the registry
# --------------------------------------------------------------------------------------------

#: A pytest plugin (loaded before any kg consumer is imported) that stores Product and adds a USES
#: claim type (Organization -> Software... stored as Product here), as a contributor would.
_EXTEND_REGISTRY = '''
from dataclasses import replace
from enum import StrEnum
from types import MappingProxyType

from kg import schema

entities = dict(schema.ENTITIES)
entities[schema.EntityType.PRODUCT] = replace(entities[schema.EntityType.PRODUCT], stored=True)
schema.ENTITIES = MappingProxyType(entities)
schema.ClaimType = StrEnum("ClaimType", {**{m.name: m.value for m in schema.ClaimType}, "USES": "USES"})
uses = schema.ClaimSpec(
    schema.ClaimType.USES, "Usage", (schema.EntityType.ORGANIZATION,), (schema.EntityType.PRODUCT,), (), ("subject", "object"),
    relationship=True, fact_clusters=False, caption="uses", legend="uses", template="{subject} uses {object}",
    rdf_shortcut="nkg:uses", color="#123456",
)
schema.CLAIMS = MappingProxyType({**schema.CLAIMS, schema.ClaimType.USES: uses})
'''


@pytest.mark.skipif(os.environ.get("NEWSKG_SCHEMA_EXTENDED") == "1", reason="already the extended run")
def test_an_added_type_reaches_every_consumer(tmp_path: Path) -> None:
    """Everything but the analyst queries (Cypher files, which name types themselves: the
    ``*_query_*`` tests above fail until a new claim type is worded there too)."""
    (tmp_path / "extend_registry.py").write_text(_EXTEND_REGISTRY, encoding="utf-8")
    env = {**os.environ, "NEWSKG_SCHEMA_EXTENDED": "1", "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "extend_registry", "-p", "no:cacheprovider", "-rA", __file__, "-k", "(Product or USES) and not query"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # The new types ran through the same tables, and passed.
    for test_id in ("test_entity_type_reaches_the_loader[Product]", "test_entity_type_reaches_rdf[Product]",
                    "test_entity_type_reaches_graphml_json_csv_and_page[Product]", "test_claim_type_reaches_the_loader[USES]",
                    "test_claim_type_reaches_rdf[USES]", "test_claim_type_reaches_graphml_json_csv_and_page[USES]",
                    "test_each_recognizer_label_becomes_its_registry_type[PRODUCT-Product]", "test_entity_ids_use_the_registry_prefix[Product]"):  # fmt: skip
        assert f"PASSED tests/test_schema.py::{test_id}" in output, output[-4000:]

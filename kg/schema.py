"""The schema registry: every entity type, claim type, qualifier and derived relationship of newskg.

This is the one place that says what the graph can hold. The graph document (kg/document.py),
the Neo4j statements (kg/neo4j/cypher.py), the exports (kg/export/*), the page (kg/viz) and the
resolver (kg/resolve/graph.py) read their labels, relationship types, captions and vocabularies
from here, so adding a type is a change here plus the code that detects it (docs/schema.md,
"Changing the schema"; tests/test_schema.py keeps that true).

Names are :class:`enum.StrEnum` members: they compare, hash and serialize as the plain strings
the graph document, Neo4j and the exports have always used ("Organization", "RELEASED",
"planned"), so records typed with them write exactly the same bytes.

Corroboration counts independent outlets; the rule lives in :mod:`kg.outlets` and is named
here (:data:`OUTLET_RULE`) rather than copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from kg import outlets

# --------------------------------------------------------------------------------------------
# Entity types
# --------------------------------------------------------------------------------------------


class EntityType(StrEnum):
    """Every entity type newskg recognises (stored or not): the ``type`` of an entity record."""

    ORGANIZATION = "Organization"
    PERSON = "Person"
    MODEL = "Model"
    PLACE = "Place"
    # Confusable types: the recognizer tags them (doc.spans["newskg_other"]) so that they are not
    # taken for an organization or a model, but they are not stored in the graph (yet).
    PRODUCT = "Product"
    SOFTWARE = "Software"
    BENCHMARK = "Benchmark"
    HARDWARE = "Hardware"
    HANDLE = "Handle"


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """How one entity type is named everywhere.

    ``stored``: whether entities of this type are written to the graph document and the graph
    (the loader rejects other types); a recognised but unstored type becomes a graph type by
    flipping this flag (and giving it an id prefix). ``label``: its Neo4j label (beside
    ``:Entity``). ``id_prefix``: the prefix of its entity ids (``org:zhipu-ai``), also the path
    segment of its RDF IRI. ``ner_labels``: the recognizer's labels for it. ``rdf_classes``:
    ``prefix:Name`` classes of its RDF nodes (``schema:``, ``nkg:``). ``color``: its colour on
    the page.
    """

    type: EntityType
    stored: bool
    label: str
    id_prefix: str
    ner_labels: tuple[str, ...]
    rdf_classes: tuple[str, ...]
    color: str
    doc: str


ENTITIES: Final[MappingProxyType[EntityType, EntitySpec]] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            EntitySpec(EntityType.ORGANIZATION, True, "Organization", "org", ("ORG",), ("schema:Organization",), "#2f6fde", "companies, labs, agencies, parties, teams"),
            EntitySpec(EntityType.PERSON, True, "Person", "person", ("PERSON",), ("schema:Person",), "#e07a2f", "people"),
            EntitySpec(EntityType.MODEL, True, "Model", "model", ("MODEL",), ("schema:SoftwareApplication", "nkg:AIModel"), "#1f9d74", "AI models (name with version and variant)"),
            EntitySpec(EntityType.PLACE, True, "Place", "place", ("GPE", "LOC"), ("schema:Place",), "#8a5cd6", "countries, cities, regions"),
            EntitySpec(EntityType.PRODUCT, False, "Product", "product", ("PRODUCT",), ("schema:Product",), "#7a8294", "products that are not AI models (an app, a phone)"),
            EntitySpec(EntityType.SOFTWARE, False, "Software", "software", ("SOFTWARE",), ("schema:SoftwareApplication",), "#7a8294", "software that is not an AI model (a library, a tool)"),
            EntitySpec(EntityType.BENCHMARK, False, "Benchmark", "benchmark", ("BENCHMARK",), ("nkg:Benchmark",), "#7a8294", "benchmarks and evaluations"),
            EntitySpec(EntityType.HARDWARE, False, "Hardware", "hardware", ("HARDWARE",), ("nkg:Hardware",), "#7a8294", "chips and devices"),
            EntitySpec(EntityType.HANDLE, False, "Handle", "handle", ("HANDLE",), ("nkg:Handle",), "#7a8294", "social-media handles"),
        )
    }
)


def stored_entity_types() -> tuple[EntityType, ...]:
    """The entity types the graph holds, in registry order."""
    return tuple(t for t, spec in ENTITIES.items() if spec.stored)


def ner_label_map(*, stored: bool = True) -> dict[str, EntityType]:
    """The recognizer's label -> entity type, for the stored types (or, ``stored=False``, the others)."""
    return {label: t for t, spec in ENTITIES.items() if spec.stored == stored for label in spec.ner_labels}


def unstored_entity_types() -> tuple[EntityType, ...]:
    """Types the recognizer tags (``doc.spans["newskg_other"]``) that the graph does not hold."""
    return tuple(t for t, spec in ENTITIES.items() if not spec.stored)


# --------------------------------------------------------------------------------------------
# Claim types and their qualifiers
# --------------------------------------------------------------------------------------------


class ClaimType(StrEnum):
    """Every claim type: the ``type`` of a claim record."""

    RELEASED = "RELEASED"
    DEVELOPS = "DEVELOPS"
    SAID = "SAID"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    DERIVED_FROM = "DERIVED_FROM"


class ReleaseStatus(StrEnum):
    """The ``status`` qualifier of a RELEASED claim."""

    RELEASED = "released"
    PLANNED = "planned"
    ANNOUNCED = "announced"


@dataclass(frozen=True, slots=True)
class QualifierValue:
    """One value of a closed qualifier: its caption (the verb shown for the fact) and RDF shortcut."""

    value: str
    caption: str
    rdf_shortcut: str


@dataclass(frozen=True, slots=True)
class Qualifier:
    """A property of a fact (a claim node) beside its subject and object.

    ``values``: the closed list of values (None: free text). ``in_fact_key``: part of the fact key
    (two reports with different values are two facts). ``on_relationship``: copied onto the
    derived subject -> object relationship. Every qualifier is a field of the claim record
    (kg/document.py) and of the export model's claim (kg/export/model.py) of the same name.
    """

    name: str
    values: tuple[QualifierValue, ...] | None
    in_fact_key: bool
    on_relationship: bool
    doc: str

    def value(self, value: str) -> QualifierValue | None:
        return next((v for v in self.values or () if v.value == value), None)


STATUS: Final = Qualifier(
    "status",
    (
        QualifierValue(ReleaseStatus.RELEASED, "released", "nkg:released"),
        QualifierValue(ReleaseStatus.PLANNED, "plans to release", "nkg:plansToRelease"),
        QualifierValue(ReleaseStatus.ANNOUNCED, "announced", "nkg:announced"),
    ),
    in_fact_key=True,
    on_relationship=True,
    doc="whether the model is out, announced or planned",
)
ROLE: Final = Qualifier("role", None, in_fact_key=False, on_relationship=True, doc="the person's role (free text, may be absent)")


@dataclass(frozen=True, slots=True)
class ClaimSpec:
    """How one claim type is built, stored and shown.

    ``subject_types`` / ``object_types``: the entity types at each end (empty: no entity there; a
    SAID claim's subject may also be absent when the speaker is not an entity). ``key``: the parts
    of the fact key after the type prefix (:func:`fact_key`). ``report_fields``: per-report fields
    of the claim record beyond the common ones (kept on the Evidence node, not the fact).
    ``label``: its Neo4j label beside ``:Claim``, also its RDF class (``nkg:<label>``).
    ``relationship``: whether the loader also draws ``(subject)-[:<TYPE>]->(object)``.
    ``fact_clusters``: whether ``kg resolve`` groups its facts across merged entities.
    ``caption``: the verb of the fact and the caption of its link; ``legend``: its name in the
    page's legend; ``template``: the fact as a sentence (``subject``, ``object``, ``verb``,
    ``role``, ``statement``); ``rdf_shortcut``: the direct predicate in RDF.
    """

    type: ClaimType
    label: str
    subject_types: tuple[EntityType, ...]
    object_types: tuple[EntityType, ...]
    qualifiers: tuple[Qualifier, ...]
    key: tuple[str, ...]
    relationship: bool
    fact_clusters: bool
    caption: str
    legend: str
    template: str
    rdf_shortcut: str | None
    color: str
    report_fields: tuple[str, ...] = ()
    doc: str = ""

    @property
    def key_prefix(self) -> str:
        return self.type.lower()

    def qualifier(self, name: str) -> Qualifier | None:
        return next((q for q in self.qualifiers if q.name == name), None)


_ORG, _PERSON, _MODEL = EntityType.ORGANIZATION, EntityType.PERSON, EntityType.MODEL
#: The per-report fields of a SAID claim (see docs/graph-document.md).
SAID_FIELDS: Final[tuple[str, ...]] = ("statement", "cue", "source_text", "direct", "spans", "about")
#: The span names of SAID reports (``spans``), stored on Evidence as ``<name>_start`` / ``<name>_end``.
SAID_SPANS: Final[tuple[str, ...]] = ("source", "cue", "content")

CLAIMS: Final[MappingProxyType[ClaimType, ClaimSpec]] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            ClaimSpec(
                ClaimType.RELEASED, "Released", (_ORG,), (_MODEL,), (STATUS,), ("subject", "object", "status"),
                relationship=True, fact_clusters=True, caption="released", legend="released / plans",
                template="{subject} {verb} {object}", rdf_shortcut="nkg:released", color="#1f9d74",
                doc="an organization released, announced or plans to release a model",
            ),
            ClaimSpec(
                ClaimType.DEVELOPS, "Develops", (_ORG,), (_MODEL,), (), ("subject", "object"),
                relationship=True, fact_clusters=True, caption="develops", legend="develops",
                template="{subject} develops {object}", rdf_shortcut="nkg:develops", color="#4aa3a0",
                doc="an organization develops a model",
            ),
            ClaimSpec(
                ClaimType.SAID, "Said", (_PERSON, _ORG), (), (), ("speaker", "statement"),
                relationship=False, fact_clusters=False, caption="statement", legend="said",
                template="{subject}: “{statement}”", rdf_shortcut=None, color="#c0437e", report_fields=SAID_FIELDS,
                doc="a speaker (an entity, or the source text when it is none) said something; "
                "the key's statement part is a digest of the normalized statement",
            ),
            ClaimSpec(
                ClaimType.AFFILIATED_WITH, "Affiliation", (_PERSON,), (_ORG,), (ROLE,), ("subject", "object"),
                relationship=True, fact_clusters=True, caption="affiliated with", legend="affiliated with",
                template="{subject}, {role} at {object}", rdf_shortcut="schema:affiliation", color="#e07a2f",
                doc="a person works for or belongs to an organization",
            ),
            ClaimSpec(
                ClaimType.DERIVED_FROM, "Derivation", (_MODEL,), (_MODEL,), (), ("subject", "object"),
                relationship=True, fact_clusters=False, caption="derived from", legend="derived from",
                template="{subject} is derived from {object}", rdf_shortcut="nkg:derivedFrom", color="#6b8e23",
                doc="a model is a fine-tune, distillation or variant of another",
            ),
        )
    }
)

def qualifier_names() -> tuple[str, ...]:
    """Every qualifier name, in registry order (each is a field of ClaimRecord and of the export model's Claim)."""
    return tuple(dict.fromkeys(q.name for spec in CLAIMS.values() for q in spec.qualifiers))


def relationship_claim_types() -> tuple[ClaimType, ...]:
    """Claim types that also get a direct subject -> object relationship (its type is the claim type)."""
    return tuple(t for t, spec in CLAIMS.items() if spec.relationship)


def fact_key(claim_type: str, **parts: object) -> str:
    """The key shared by every report of one fact: the type in lower case, then the claim type's
    ``key`` parts joined by ``|`` ("released|org:zhipu-ai|model:glm-4.5|released")."""
    spec = CLAIMS[ClaimType(claim_type)]
    return "|".join([spec.key_prefix, *(str(parts[name]) for name in spec.key)])


def caption(claim_type: str, **qualifiers: str | None) -> str:
    """The verb of a fact ("plans to release" for a planned release); unknown types in lower case."""
    spec = CLAIMS.get(claim_type)  # type: ignore[call-overload]
    if spec is None:
        return claim_type.lower()
    for qualifier in spec.qualifiers:
        given = qualifiers.get(qualifier.name)
        found = qualifier.value(given) if given else None
        if found is not None:
            return found.caption
    return spec.caption


# --------------------------------------------------------------------------------------------
# Derived relationships and other graph structure
# --------------------------------------------------------------------------------------------


class Relationship(StrEnum):
    """Relationship types that are not claim types: structure, upkeep and views."""

    MENTIONS = "MENTIONS"
    SUBJECT = "SUBJECT"
    OBJECT = "OBJECT"
    ABOUT = "ABOUT"
    SUPPORTS = "SUPPORTS"
    IN = "IN"
    DUPLICATE_OF = "DUPLICATE_OF"
    ALIAS_OF = "ALIAS_OF"
    IN_CLUSTER = "IN_CLUSTER"
    IN_FAMILY = "IN_FAMILY"
    CONTRADICTS = "CONTRADICTS"
    SAID_ABOUT = "SAID_ABOUT"
    CO_MENTIONED = "CO_MENTIONED"


@dataclass(frozen=True, slots=True)
class RelationshipSpec:
    """Who makes a relationship and how it is shown. ``made_by``: ``load`` (kg load), ``resolve``
    (kg resolve) or ``view`` (drawn by the exports and the page, never stored). ``caption`` and
    ``color`` are for pictures (None: not drawn as a link)."""

    type: Relationship
    made_by: str
    pattern: str
    caption: str | None = None
    color: str | None = None


RELATIONSHIPS: Final[MappingProxyType[Relationship, RelationshipSpec]] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            RelationshipSpec(Relationship.MENTIONS, "load", "(:Article)-[:MENTIONS]->(:Entity)", "mentions"),
            RelationshipSpec(Relationship.SUBJECT, "load", "(:Claim)-[:SUBJECT]->(:Entity)"),
            RelationshipSpec(Relationship.OBJECT, "load", "(:Claim)-[:OBJECT]->(:Entity)"),
            RelationshipSpec(Relationship.ABOUT, "load", "(:Claim:Said)-[:ABOUT]->(:Entity)"),
            RelationshipSpec(Relationship.SUPPORTS, "load", "(:Evidence)-[:SUPPORTS]->(:Claim)"),
            RelationshipSpec(Relationship.IN, "load", "(:Evidence)-[:IN]->(:Article)"),
            RelationshipSpec(Relationship.DUPLICATE_OF, "load", "(:Article)-[:DUPLICATE_OF]->(:Article)  same body hash"),
            RelationshipSpec(Relationship.ALIAS_OF, "resolve", "(:Entity)-[:ALIAS_OF]->(:Entity)  alias -> canonical", "alias of", "#9aa3b5"),
            RelationshipSpec(Relationship.IN_CLUSTER, "resolve", "(:Claim)-[:IN_CLUSTER]->(:ClaimCluster)"),
            RelationshipSpec(Relationship.IN_FAMILY, "resolve", "(:Model)-[:IN_FAMILY]->(:ModelFamily)"),
            RelationshipSpec(Relationship.CONTRADICTS, "resolve", "(:Claim)-[:CONTRADICTS {kind, rank}]->(:Claim)  facts reports may disagree on"),
            RelationshipSpec(Relationship.SAID_ABOUT, "view", "speaker -> each entity a statement names", "said about", "#c0437e"),
            RelationshipSpec(Relationship.CO_MENTIONED, "view", "entities named in the same articles (on request)", "co-mentioned", "#b9c0cc"),
        )
    }
)


def link_captions() -> dict[str, str]:
    """Link type -> caption, for every link a picture can draw (claim relationships, then views)."""
    captions = {str(t): CLAIMS[t].caption for t in relationship_claim_types()}
    for t in (Relationship.SAID_ABOUT, Relationship.CO_MENTIONED, Relationship.ALIAS_OF):
        captions[str(t)] = RELATIONSHIPS[t].caption or t.lower()
    return captions


def page_schema() -> dict[str, dict[str, str]]:
    """What the page (kg/viz) needs to know of the schema: colours and legend names."""
    link_types = (*relationship_claim_types(), Relationship.SAID_ABOUT, Relationship.CO_MENTIONED, Relationship.ALIAS_OF)
    return {
        "entity_colors": {str(t): ENTITIES[t].color for t in stored_entity_types()},
        "link_colors": {str(t): (CLAIMS[t].color if t in CLAIMS else RELATIONSHIPS[t].color) or "" for t in link_types},  # type: ignore[index]
        "link_names": {str(t): CLAIMS[t].legend if t in CLAIMS else RELATIONSHIPS[t].caption or str(t) for t in link_types},  # type: ignore[index]
    }


# --------------------------------------------------------------------------------------------
# Counting outlets (corroboration)
# --------------------------------------------------------------------------------------------

#: Version of the outlet rule stored on each article (``Article.outlet_rule``): an article stored
#: under another version reads as changed, so the next load rewrites it.
OUTLET_RULE_VERSION: Final = 1
#: The rule itself (kg/outlets.py): an article's outlet, how outlets compare, and which reports
#: are independent (syndicated copies count once, for the earliest outlet).
OUTLET_RULE: Final = MappingProxyType(
    {
        "outlet": outlets.outlet_name,
        "compare": outlets.outlet_key,
        "independent": outlets.independent_keys,
        "unknown": outlets.UNKNOWN_OUTLET,
    }
)

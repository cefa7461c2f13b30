"""RDF (Turtle, JSON-LD, N-Triples) with rdflib: schema.org for things, PROV-O for provenance.

The vocabulary (docs/export.md):

* entities: ``schema:Organization``, ``schema:Person``, ``schema:Place``, and models as
  ``schema:SoftwareApplication`` + ``nkg:AIModel``; ``schema:name``, ``schema:alternateName``
  (aliases), ``schema:identifier`` (the newskg id);
* articles: ``schema:NewsArticle`` + ``prov:Entity`` with ``schema:headline``,
  ``schema:datePublished``, ``schema:url``, ``schema:publisher`` (the outlet, a
  ``schema:NewsMediaOrganization``), ``schema:author`` (byline text), ``schema:mentions``;
* claims are reified: ``nkg:Claim`` + one of ``nkg:Released``, ``nkg:Develops``, ``nkg:Said``,
  ``nkg:Affiliation``, + ``prov:Entity``, with ``nkg:subject``, ``nkg:object``, ``nkg:status``,
  ``nkg:role``, ``nkg:statement``, ``nkg:about``, ``nkg:sourceCount``, ``nkg:articleCount``,
  ``nkg:firstReported``, ``nkg:lastReported``, ``nkg:factKey``, and ``prov:wasDerivedFrom`` every
  article reporting it;
* each report is an ``nkg:Report`` + ``prov:Entity``: ``nkg:supports`` its claim,
  ``prov:wasDerivedFrom`` its article, ``nkg:evidence`` (the sentence), ``nkg:statement``,
  ``nkg:directQuote``, ``nkg:confidence``, ``nkg:sentenceIndex``, ``nkg:start``/``nkg:end``;
* ``kg resolve``'s layer: an alias node is ``owl:sameAs`` its canonical entity, which gets the
  alias's name as ``skos:altLabel``; the merge itself is an ``nkg:AliasResolution`` (``nkg:alias``,
  ``nkg:canonical``, ``nkg:rule``, ``nkg:evidence``, ``prov:wasDerivedFrom`` its articles); a claim
  cluster is an ``nkg:ClaimCluster`` + ``prov:Collection`` with ``prov:hadMember`` each claim and
  the counts of a claim (``<base>cluster/<sha256 of the id, 20 hex>``);
* shortcuts for simple queries: ``nkg:released`` / ``nkg:plansToRelease`` / ``nkg:announced``
  and ``nkg:develops`` (organization -> model), ``schema:affiliation`` (person -> organization).

IRIs are stable: ``<base>org/zhipu-ai`` (entity id with its type prefix as a path segment),
``<base>article/<id>``, ``<base>claim/<sha256 of the fact key, 20 hex>``, ``<base>report/<id>``,
``<base>outlet/<slug>``, so re-exporting the same graph gives the same triples.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph as RdfGraph, Literal, Namespace, URIRef

from kg.schema import CLAIMS, ENTITIES, STATUS, ClaimType, qualifier_names, stored_entity_types

if TYPE_CHECKING:
    from kg.export.model import Graph

SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
NKG = Namespace("https://newskg.example/vocab#")
DEFAULT_BASE_IRI = "https://newskg.example/id/"

RDF_FORMATS: dict[str, str] = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}

_PREFIXES: dict[str, Namespace] = {"schema": SCHEMA, "nkg": NKG}


def _term(name: str) -> URIRef:
    """The IRI of a registry term written ``prefix:Name`` (kg/schema.py)."""
    prefix, _, local = name.partition(":")
    return _PREFIXES[prefix][local]


#: Entity type -> its classes, claim type -> its class, and the direct subject -> object
#: predicates (per release status for RELEASED), all from the registry.
ENTITY_CLASSES: dict[str, tuple[URIRef, ...]] = {str(t): tuple(_term(c) for c in ENTITIES[t].rdf_classes) for t in stored_entity_types()}
CLAIM_CLASSES: dict[str, URIRef] = {str(t): NKG[spec.label] for t, spec in CLAIMS.items()}
CLAIM_SHORTCUTS: dict[str, URIRef] = {str(t): _term(spec.rdf_shortcut) for t, spec in CLAIMS.items() if spec.rdf_shortcut}
RELEASE_SHORTCUTS: dict[str, URIRef] = {str(v.value): _term(v.rdf_shortcut) for v in STATUS.values or ()}

#: The JSON-LD context: compact prefixes (the data itself keeps full IRIs).
JSONLD_CONTEXT: dict[str, str] = {
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "nkg": str(NKG),
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
}

_SLUG = re.compile(r"[^a-z0-9]+")


class BaseIriError(ValueError):
    """The ``--base-iri`` is not an absolute http(s) IRI."""


def check_base_iri(base: str) -> str:
    """An absolute http(s) IRI ending in ``/`` or ``#`` (a ``/`` is added when missing)."""
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", base):
        raise BaseIriError(f"base IRI {base!r} must be an absolute http(s) IRI, e.g. {DEFAULT_BASE_IRI}")
    return base if base.endswith(("/", "#")) else base + "/"


class Minter:
    """Turns newskg ids into IRIs under one base."""

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        self.base = check_base_iri(base)

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def entity(self, entity_id: str) -> URIRef:
        prefix, sep, rest = entity_id.partition(":")
        if sep and prefix and rest:
            return self._iri(f"{quote(prefix, safe='')}/{quote(rest, safe='.-_~')}")
        return self._iri("entity/" + quote(entity_id, safe=".-_~"))

    def article(self, article_id: str) -> URIRef:
        return self._iri("article/" + quote(article_id, safe=".-_~"))

    def claim(self, fact: str) -> URIRef:
        return self._iri("claim/" + hashlib.sha256(fact.encode("utf-8")).hexdigest()[:20])

    def cluster(self, cluster_id: str) -> URIRef:
        return self._iri("cluster/" + hashlib.sha256(cluster_id.encode("utf-8")).hexdigest()[:20])

    def resolution(self, alias: str, canonical: str) -> URIRef:
        return self._iri("resolution/" + hashlib.sha256(f"{alias}>{canonical}".encode()).hexdigest()[:20])

    def report(self, report_id: str) -> URIRef:
        return self._iri("report/" + quote(report_id, safe=".-_~"))

    def outlet(self, name: str) -> URIRef:
        slug = _SLUG.sub("-", name.casefold()).strip("-") or hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
        return self._iri("outlet/" + slug)


def to_rdf(graph: Graph, base_iri: str = DEFAULT_BASE_IRI) -> RdfGraph:
    """The RDF graph of ``graph`` in the vocabulary above."""
    iri = Minter(base_iri)
    g = RdfGraph()
    for prefix, namespace in (("schema", SCHEMA), ("prov", PROV), ("nkg", NKG), ("owl", OWL), ("skos", SKOS), ("id", Namespace(iri.base))):
        g.bind(prefix, namespace, override=True)
    mentions = graph.mention_counts()

    for e in graph.entities.values():
        node = iri.entity(e.id)
        for cls in ENTITY_CLASSES.get(e.type, (NKG.Entity,)):
            g.add((node, RDF.type, cls))
        g.add((node, SCHEMA.name, Literal(e.name)))
        g.add((node, SCHEMA.identifier, Literal(e.id)))
        for alias in e.aliases:
            if alias != e.name:
                g.add((node, SCHEMA.alternateName, Literal(alias)))
        g.add((node, NKG.mentionCount, Literal(mentions.get(e.id, 0), datatype=XSD.integer)))

    for a in graph.articles.values():
        node = iri.article(a.id)
        g.add((node, RDF.type, SCHEMA.NewsArticle))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, SCHEMA.identifier, Literal(a.id)))
        if a.title:
            g.add((node, SCHEMA.headline, Literal(a.title)))
        if a.published:
            g.add((node, SCHEMA.datePublished, Literal(a.published.isoformat(), datatype=XSD.date)))
        if a.url:
            g.add((node, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI)))
        if a.author:
            g.add((node, SCHEMA.author, Literal(a.author)))
        if a.source:
            outlet = iri.outlet(a.source)
            g.add((node, SCHEMA.publisher, outlet))
            g.add((outlet, RDF.type, SCHEMA.NewsMediaOrganization))
            g.add((outlet, SCHEMA.name, Literal(a.source)))
    for m in graph.mentions:
        if m.article in graph.articles and m.entity in graph.entities:
            g.add((iri.article(m.article), SCHEMA.mentions, iri.entity(m.entity)))

    names = graph.names()
    for claim in graph.claims.values():
        node = iri.claim(claim.id)
        g.add((node, RDF.type, NKG.Claim))
        g.add((node, RDF.type, CLAIM_CLASSES.get(claim.type, NKG.Claim)))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDFS.label, Literal(claim.describe(names))))
        g.add((node, NKG.factKey, Literal(claim.id)))
        g.add((node, NKG.claimType, Literal(claim.type)))
        subject = iri.entity(claim.subject) if claim.subject in graph.entities else None
        obj = iri.entity(claim.object) if claim.object in graph.entities else None
        if subject is not None:
            g.add((node, NKG.subject, subject))
        if obj is not None:
            g.add((node, NKG.object, obj))
        for qualifier in qualifier_names():
            value = getattr(claim, qualifier)
            if value:
                g.add((node, NKG[qualifier], Literal(str(value))))
        if claim.statement:
            g.add((node, NKG.statement, Literal(claim.statement)))
        for about in claim.about:
            if about in graph.entities:
                g.add((node, NKG.about, iri.entity(about)))
        g.add((node, NKG.sourceCount, Literal(claim.source_count, datatype=XSD.integer)))
        g.add((node, NKG.articleCount, Literal(claim.article_count, datatype=XSD.integer)))
        if claim.first_published:
            g.add((node, NKG.firstReported, Literal(claim.first_published.isoformat(), datatype=XSD.date)))
        if claim.last_published:
            g.add((node, NKG.lastReported, Literal(claim.last_published.isoformat(), datatype=XSD.date)))
        if subject is not None and obj is not None:
            if claim.type == ClaimType.RELEASED:
                g.add((subject, RELEASE_SHORTCUTS.get(claim.status or "released", CLAIM_SHORTCUTS[ClaimType.RELEASED]), obj))
            elif claim.type in CLAIM_SHORTCUTS:
                g.add((subject, CLAIM_SHORTCUTS[claim.type], obj))
        for report in claim.reports:
            r = iri.report(report.id)
            article = iri.article(report.article)
            g.add((node, PROV.wasDerivedFrom, article))
            g.add((node, NKG.report, r))
            g.add((r, RDF.type, NKG.Report))
            g.add((r, RDF.type, PROV.Entity))
            g.add((r, NKG.supports, node))
            g.add((r, PROV.wasDerivedFrom, article))
            g.add((r, NKG.evidence, Literal(report.text)))
            g.add((r, NKG.confidence, Literal(report.confidence, datatype=XSD.double)))
            g.add((r, NKG.sentenceIndex, Literal(report.sentence, datatype=XSD.integer)))
            g.add((r, NKG.start, Literal(report.start, datatype=XSD.integer)))
            g.add((r, NKG.end, Literal(report.end, datatype=XSD.integer)))
            if report.statement:
                g.add((r, NKG.statement, Literal(report.statement)))
            if report.direct is not None:
                g.add((r, NKG.directQuote, Literal(report.direct)))
            if report.cue:
                g.add((r, NKG.cue, Literal(report.cue)))
            if report.rule:
                g.add((r, NKG.rule, Literal(report.rule)))
            if report.source_text:
                g.add((r, NKG.sourceText, Literal(report.source_text)))

    for link in graph.alias_links:
        if link.alias not in graph.entities or link.canonical not in graph.entities:
            continue
        alias, canonical = iri.entity(link.alias), iri.entity(link.canonical)
        g.add((alias, OWL.sameAs, canonical))
        g.add((canonical, SKOS.altLabel, Literal(graph.entities[link.alias].name)))
        node = iri.resolution(link.alias, link.canonical)
        g.add((node, RDF.type, NKG.AliasResolution))
        g.add((node, NKG.alias, alias))
        g.add((node, NKG.canonical, canonical))
        if link.rule:
            g.add((node, NKG.rule, Literal(link.rule)))
        if link.evidence:
            g.add((node, NKG.evidence, Literal(link.evidence)))
        for article_id in link.articles:
            if article_id in graph.articles:
                g.add((node, PROV.wasDerivedFrom, iri.article(article_id)))
    for cluster in graph.clusters.values():
        node = iri.cluster(cluster.id)
        g.add((node, RDF.type, NKG.ClaimCluster))
        g.add((node, RDF.type, PROV.Collection))
        g.add((node, SCHEMA.identifier, Literal(cluster.id)))
        g.add((node, NKG.claimType, Literal(cluster.type)))
        if cluster.key:
            g.add((node, NKG.factKey, Literal(cluster.key)))
        if cluster.rule:
            g.add((node, NKG.rule, Literal(cluster.rule)))
        if cluster.statement:
            g.add((node, NKG.statement, Literal(cluster.statement)))
        g.add((node, NKG.sourceCount, Literal(cluster.source_count, datatype=XSD.integer)))
        g.add((node, NKG.articleCount, Literal(cluster.article_count, datatype=XSD.integer)))
        for member in cluster.members:
            if member in graph.claims:
                g.add((node, PROV.hadMember, iri.claim(member)))
    return g


def serialize(graph: Graph, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Text of ``graph`` as ``ttl``, ``jsonld`` or ``nt``."""
    rdf = to_rdf(graph, base_iri)
    if fmt == "jsonld":
        return rdf.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, indent=2)
    if fmt == "nt":
        # N-Triples has no order; sort the lines so the same graph gives the same file.
        lines = sorted(line for line in rdf.serialize(format="nt").splitlines() if line.strip())
        return "\n".join(lines) + "\n"
    return rdf.serialize(format=RDF_FORMATS[fmt])

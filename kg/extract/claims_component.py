"""The ``newskg_claims`` component: runs the claim extractors and stores their typed tuples on the doc.

Claims are found inside the pipeline (so ``nlp.pipe(n_process=N)`` spreads the work) and kept as
plain named tuples of character offsets in ``doc._.newskg_claims``, which travel between
processes; turning them into graph records with entity ids happens in :mod:`kg.extract.extractor`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.affiliation_classifier import classified_affiliations
from kg.extract.affiliations import Affiliation, find_affiliations
from kg.extract.attribution import Attribution, find_attributions, refine_attributions
from kg.extract.attribution_tagger import AttributionTagger, combine_with_rules
from kg.extract.component import DocByDoc, read_tree, write_files
from kg.extract.lexicon import LEXICON_FILES, Lexicon, lexicon_from_files, load_lexicon
from kg.extract.relation_classifier import RelationClassifier, candidates, load_classifier
from kg.extract.release_names import frame_entities
from kg.extract.resolution_data import RESOLUTION_FILES, ResolutionData, load_resolution_data, resolution_data_from_files
from kg.extract.releases import (
    Derivation,
    Development,
    Release,
    coordinated_claims,
    credit_check,
    find_derivations,
    find_developments,
    find_releases,
    is_release_object,
    team_name,
)
from kg.extract.spans import ref
from kg.resources import pipelines_dir
from kg.schema import ClaimType

DATA_DIR = "data"  # the lexicon and naming data files, under the component's folder
CLASSIFIER_FILE = "relations.json"
AFFILIATION_CLASSIFIER_FILE = "affiliations.json"

#: Confidence change from the curated developer map (pipelines/gazetteers/models.yml): the
#: organization is the model family's known developer (+), it is not (-), unknown family (0).
CREDIT_WEIGHT = 0.1
#: The name of each claim type's extractor in the config's ``extractors`` (the type in lower case).
SAID, RELEASED, DEVELOPS, AFFILIATED_WITH, DERIVED_FROM = (
    t.lower() for t in (ClaimType.SAID, ClaimType.RELEASED, ClaimType.DEVELOPS, ClaimType.AFFILIATED_WITH, ClaimType.DERIVED_FROM)
)
DISCREDIT_WEIGHT = 0.25
#: ... for a claim of the learned classifier, which sees no names: below ``min_confidence`` at any probability
CLASSIFIER_DISCREDIT_WEIGHT = 0.5


class DocClaims(NamedTuple):
    attributions: list[Attribution]
    releases: list[Release]
    developments: list[Development]
    affiliations: list[Affiliation]
    derivations: list[Derivation] = []


if not Doc.has_extension("newskg_claims"):
    Doc.set_extension("newskg_claims", default=None)


class ClaimFinder(DocByDoc):
    """Finds the claims of a doc. Holds the data the whole extraction step reads: the lexicon, the
    naming data (:class:`~kg.extract.resolution_data.ResolutionData`, used by the record builder),
    each rule's confidence and the relation classifier; ``to_disk``/``from_disk`` write and read them."""

    def __init__(
        self, lexicon: Lexicon, extractors: Iterable[str], nlp: Language | None = None, min_confidence: float = 0.0,
        classifier: RelationClassifier | None = None, classifier_threshold: float = 1.0, said_refine: bool = True,
        confidence: Mapping[str, float] | None = None, resolution: ResolutionData | None = None,
        affiliation_classifier: RelationClassifier | None = None, affiliation_threshold: float = 1.0, frame_names: bool = True,
    ) -> None:
        self.lexicon = lexicon
        self.extractors = frozenset(extractors)
        self.nlp = nlp
        self.min_confidence = min_confidence
        self.classifier = classifier
        self.classifier_threshold = classifier_threshold
        self.said_refine = said_refine
        #: each rule's confidence (config ``[components.newskg_claims.confidence]``)
        self.rule_confidence: dict[str, float] = dict(confidence or {})
        self.resolution = resolution if resolution is not None else load_resolution_data()
        self.affiliation_classifier = affiliation_classifier
        self.affiliation_threshold = affiliation_threshold
        #: read model names the recognizer missed from release frames (kg/extract/release_names.py)
        self.frame_names = frame_names

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.detect(doc))
        return doc

    # -- serialization: the data files and the classifier's weights ---------------------------
    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        from kg.extract.relation_classifier import save

        path = Path(path)
        write_files(path / DATA_DIR, {**self.lexicon.files, **self.resolution.files})
        if self.classifier is not None:
            save(self.classifier, path / CLASSIFIER_FILE, {})
        if self.affiliation_classifier is not None:
            save(self.affiliation_classifier, path / AFFILIATION_CLASSIFIER_FILE, {})

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> ClaimFinder:
        path = Path(path)
        files = read_tree(path / DATA_DIR)
        self.lexicon = lexicon_from_files({k: v for k, v in files.items() if k in LEXICON_FILES})
        self.resolution = resolution_data_from_files({k: v for k, v in files.items() if k in RESOLUTION_FILES})
        self.classifier = RelationClassifier.load(path / CLASSIFIER_FILE) if (path / CLASSIFIER_FILE).is_file() else None
        affiliations = path / AFFILIATION_CLASSIFIER_FILE
        self.affiliation_classifier = RelationClassifier.load(affiliations) if affiliations.is_file() else None
        return self

    def detect(self, doc: Doc) -> DocClaims:
        wanted = self.extractors
        if self.frame_names and wanted & {RELEASED, DEVELOPS}:
            frame_entities(doc, self.lexicon)  # model names the recognizer missed in a release frame
        derivations = find_derivations(doc, self.lexicon) if wanted & {DERIVED_FROM, RELEASED, DEVELOPS} else []
        releases = find_releases(doc, self.lexicon) if RELEASED in wanted else []
        developments = find_developments(doc, self.lexicon) if DEVELOPS in wanted else []
        if DEVELOPS in wanted and self.classifier is not None:
            developments += self._classified(doc, releases, developments)
        more_releases, more_developments = coordinated_claims(doc, releases, developments, self.lexicon)
        releases, developments = releases + more_releases, developments + more_developments
        releases, developments = self._credit(doc, releases, developments, derivations)
        return DocClaims(
            attributions=self._said(doc) if SAID in wanted else [],
            releases=releases,
            developments=developments,
            affiliations=self._affiliations(doc) if AFFILIATED_WITH in wanted else [],
            derivations=derivations if DERIVED_FROM in wanted else [],
        )

    def _affiliations(self, doc: Doc) -> list[Affiliation]:
        """The rules' affiliations, plus the learned classifier's for the pairs they left alone
        (``affiliation_classifier``, ``affiliation_threshold``; kg/extract/affiliation_classifier.py)."""
        found = find_affiliations(doc, self.lexicon)
        if self.affiliation_classifier is not None:
            found += classified_affiliations(doc, found, self.affiliation_classifier, self.affiliation_threshold, self.lexicon)
        return found

    def _classified(self, doc: Doc, releases: list[Release], developments: list[Development]) -> list[Development]:
        """DEVELOPS for the (organization, model) pairs of a sentence the rules left alone, when the
        learned classifier's probability reaches ``classifier_threshold`` (its confidence)."""
        assert self.classifier is not None
        claimed = {(c.organization.start, c.model.start) for c in (*releases, *developments)}
        claimed_models = {c.model.start for c in (*releases, *developments)}
        found: list[Development] = []
        for candidate in candidates(doc, lambda e: is_release_object(e, self.lexicon)):
            org, model = ref(candidate.organization), ref(candidate.model)
            if (org.start, model.start) in claimed or model.start in claimed_models or team_name(candidate.organization, candidate.model):
                continue
            probability = self.classifier.probability(candidate)
            if probability >= self.classifier_threshold:
                found.append(Development(candidate.sentence, org, model, "classifier", round(probability, 3)))
        return found

    def _credit(self, doc: Doc, releases: list[Release], developments: list[Development], derivations: list[Derivation]) -> tuple[list[Release], list[Development]]:
        """Drop releases and developments of a base model by a third party that derived or hosts
        it, set each claim's confidence (rule confidence moved by the developer map) and keep
        those at or above ``min_confidence``."""
        rule_confidence = self.rule_confidence
        bases = {d.base.start for d in derivations}

        def scored(claim):  # type: ignore[no-untyped-def]
            credit = credit_check(doc, claim.organization, claim.model, bases, self.lexicon, release=isinstance(claim, Release))
            if credit is None:
                return None
            base = claim.confidence if claim.confidence is not None else rule_confidence.get(claim.rule, 0.5)
            # the classifier reads context only: the developer map weighs more against it ("GTA 6 delay fuels GPT-7 talk")
            discredit = CLASSIFIER_DISCREDIT_WEIGHT if claim.rule == "classifier" else DISCREDIT_WEIGHT
            confidence = round(min(0.99, max(0.01, base + (CREDIT_WEIGHT * credit if credit > 0 else discredit * credit))), 3)
            return claim._replace(confidence=confidence) if confidence >= self.min_confidence else None

        kept_releases = [r for r in map(scored, releases) if r is not None]
        kept_developments = [d for d in map(scored, developments) if d is not None]
        return kept_releases, kept_developments

    def _said(self, doc: Doc) -> list[Attribution]:
        # The rules, combined with the statistical tagger's spans when the
        # newskg_attribution_tagger component ran on this doc (config: its `enabled`, `combine`).
        # Then only the statements fit for a who-said-what graph (kg.extract.attribution.
        # refine_attributions: speech cue, speaker, clause content); with `said_refine` off, all
        # of them, their content spans in the same form.
        tagger = next((proc for _, proc in self.nlp.pipeline if isinstance(proc, AttributionTagger)), None) if self.nlp is not None else None
        settings = {"combine": tagger.combine, "orphan_cues": tagger.orphan_cues} if tagger is not None else {}
        found = combine_with_rules(doc, find_attributions(doc, self.lexicon), self.lexicon, **settings)
        return refine_attributions(doc, found, self.lexicon, keep_all=not self.said_refine)

    def set_annotations(self, doc: Doc, claims: DocClaims) -> None:
        doc._.newskg_claims = claims


@Language.factory(
    "newskg_claims_v1",
    assigns=["doc._.newskg_claims"],
    requires=["doc.ents", "doc.sents", "token.dep", "token.tag", "token.lemma"],
    default_config={
        "lexicon_dir": None, "extractors": [SAID, RELEASED, DEVELOPS, AFFILIATED_WITH, DERIVED_FROM], "min_confidence": 0.55,
        "classifier": None, "classifier_threshold": 0.9, "said_refine": True, "confidence": {},
        "affiliation_classifier": None, "affiliation_threshold": 0.9, "frame_names": True,
    },
)
def make_claim_finder(
    nlp: Language, name: str, lexicon_dir: str | None, extractors: list[str], min_confidence: float, classifier: str | None,
    classifier_threshold: float, said_refine: bool, confidence: dict[str, float], affiliation_classifier: str | None,
    affiliation_threshold: float, frame_names: bool,
) -> ClaimFinder:
    model = _classifier(classifier, lexicon_dir, "relation", "bench/train_relations.py", "classifier")
    affiliation_model = _classifier(affiliation_classifier, lexicon_dir, "affiliation", "bench/train_affiliations.py", "affiliation_classifier")
    return ClaimFinder(
        load_lexicon(lexicon_dir), extractors, nlp, min_confidence, model, classifier_threshold, said_refine, confidence,
        load_resolution_data(lexicon_dir), affiliation_model, affiliation_threshold, frame_names,
    )


def _classifier(setting: str | None, lexicon_dir: str | None, what: str, trainer: str, key: str) -> RelationClassifier | None:
    """The pair classifier a config setting names (relative to the data folder), or None when it is off."""
    if not setting:
        return None
    path = Path(setting) if Path(setting).is_absolute() else Path(lexicon_dir or pipelines_dir()) / setting
    if not path.is_file():
        raise ValueError(f"newskg_claims: {what} classifier {path} not found (train it with {trainer}, or set {key} = null)")
    return load_classifier(str(path))

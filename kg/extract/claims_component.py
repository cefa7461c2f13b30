"""The ``newskg_claims`` component: runs the claim extractors and stores their typed tuples on the doc.

Claims are found inside the pipeline (so ``nlp.pipe(n_process=N)`` spreads the work) and kept as
plain named tuples of character offsets in ``doc._.newskg_claims``, which travel between
processes; turning them into graph records with entity ids happens in :mod:`kg.extract.extractor`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.affiliations import Affiliation, find_affiliations
from kg.extract.attribution import Attribution, find_attributions, refine_attributions
from kg.extract.attribution_tagger import combine_with_rules
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.releases import Development, Release, find_developments, find_releases


class DocClaims(NamedTuple):
    attributions: list[Attribution]
    releases: list[Release]
    developments: list[Development]
    affiliations: list[Affiliation]


if not Doc.has_extension("newskg_claims"):
    Doc.set_extension("newskg_claims", default=None)


class ClaimFinder:
    def __init__(self, lexicon: Lexicon, extractors: Iterable[str], said_refine: bool = True) -> None:
        self.lexicon = lexicon
        self.extractors = frozenset(extractors)
        self.said_refine = said_refine

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.detect(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def detect(self, doc: Doc) -> DocClaims:
        wanted = self.extractors
        return DocClaims(
            attributions=self._said(doc) if "said" in wanted else [],
            releases=find_releases(doc, self.lexicon) if "released" in wanted else [],
            developments=find_developments(doc, self.lexicon) if "develops" in wanted else [],
            affiliations=find_affiliations(doc, self.lexicon) if "affiliated_with" in wanted else [],
        )

    def _said(self, doc: Doc) -> list[Attribution]:
        # The rules, combined with the statistical tagger's spans when the
        # newskg_attribution_tagger component ran on this doc (config: its `enabled`, `combine`).
        # Then only the statements fit for a who-said-what graph (kg.extract.attribution.
        # refine_attributions: speech cue, speaker, clause content); with `said_refine` off, all
        # of them, their content spans in the same form.
        found = combine_with_rules(doc, find_attributions(doc, self.lexicon), self.lexicon)
        return refine_attributions(doc, found, self.lexicon, keep_all=not self.said_refine)

    def set_annotations(self, doc: Doc, claims: DocClaims) -> None:
        doc._.newskg_claims = claims


@Language.factory(
    "newskg_claims_v1",
    default_config={"lexicon_dir": None, "extractors": ["said", "released", "develops", "affiliated_with"], "said_refine": True},
)
def make_claim_finder(nlp: Language, name: str, lexicon_dir: str | None, extractors: list[str], said_refine: bool) -> ClaimFinder:
    return ClaimFinder(load_lexicon(lexicon_dir), extractors, said_refine)

"""The ``newskg_paragraphs`` component: a line break ends a sentence.

News text keeps headings, bullets and paragraphs on their own lines; without this, the parser
glues a heading to the next sentence ("... on AI openness\\n\\nMark Zuckerberg announced ...")
and the subject of that sentence becomes the heading. Runs before the parser, which respects
sentence starts set earlier.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.component import DocByDoc


class ParagraphBoundaries(DocByDoc):
    def __call__(self, doc: Doc) -> Doc:
        for i in self.detect(doc):
            doc[i].is_sent_start = True
        return doc

    @staticmethod
    def detect(doc: Doc) -> list[int]:
        """Indices of tokens that follow a line break."""
        starts = []
        for token in doc[:-1]:
            if "\n" in token.text or "\n" in token.whitespace_:
                starts.append(token.i + 1)
        return starts


@Language.factory("newskg_paragraphs_v1", assigns=["token.is_sent_start"])
def make_paragraph_boundaries(nlp: Language, name: str) -> ParagraphBoundaries:
    return ParagraphBoundaries()

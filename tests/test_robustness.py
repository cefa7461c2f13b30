"""Hostile input and faults (issue 17): one bad input never stops a run, costs stay bounded,
workers never outlive kg, ad-hoc Cypher stays read-only in every sense.

The malformed inputs come from bench/malformed.py (the benchmark's generator), a small sample of
every cheap kind, mixed with good articles of our own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
import spacy
from spacy.language import Language

from kg.articles.build import article_from_text
from kg.articles.cleaning import MAX_TOKEN_CHARS
from kg.articles.discovery import iter_input_files
from kg.articles.model import ArticleError
from kg.articles.readers import read_articles
from kg.extract import extractor
from kg.extract.entity_recognizer import EntityCandidate, select_entities
from kg.extract.naming import MAX_KEY_CHARS, entity_id, name_key
from kg.queries import confinement_problem

REPO = Path(__file__).resolve().parents[1]
KG = str(REPO / ".venv" / "bin" / "kg") if (REPO / ".venv" / "bin" / "kg").exists() else None


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("malformed_bench", REPO / "bench" / "malformed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]], list[str]]:
    """One input of every cheap malformed kind, plus three good articles written here."""
    bench = _bench()
    folder = tmp_path_factory.mktemp("hostile") / "inputs"
    manifest = bench.generate(folder, copies=1, seed=3, heavy=False)
    good = []
    for i, (org, model) in enumerate([("Nimbara Robotics", "Kestrel-2"), ("Quillfeather Labs", "Wren 3"), ("Orvane Systems", "Heron-7B")]):
        name = f"good-{i}.txt"
        (folder / name).write_text(f"{org} releases {model}\n\n{org} released {model}, a new open model, on Monday.\n", encoding="utf-8")
        good.append(name)
    return folder, manifest, good


def test_generator_covers_the_issue_kinds() -> None:
    kinds = _bench().KINDS
    assert len(kinds) >= 25
    for required in ("frontmatter_impossible_date", "frontmatter_bad_datetime", "json_huge_int", "json_lone_surrogate_text",
                     "json_bad_ipv6_url", "article_1_2m_chars", "non_utf8_file_name", "md_image_openers_50k", "ampersands_10k",
                     "curly_quotes_10k", "amp_entities_500kb", "long_word_10k", "strike_markers_50k", "symlink_loop",
                     "dangling_symlink", "fifo", "link_to_dev_zero"):  # fmt: skip
        assert required in kinds


def test_readers_name_every_bad_input_and_keep_the_rest(sample: tuple[Path, dict[str, dict[str, str]], list[str]]) -> None:
    folder, manifest, good = sample
    errors: list[str] = []
    paths: list[str] = []
    for item in read_articles([folder]):
        if isinstance(item, ArticleError):
            errors.append(str(item))
        else:
            paths.append(os.path.basename((item.path or "").split("#")[0]))
    text = "\n".join(errors)
    for name, entry in manifest.items():
        if entry["expect"] == "error":
            assert name in text, f"{entry['kind']}: {name} not reported"
        else:
            assert name in paths, f"{entry['kind']}: {name} not read"
            assert name not in text.replace(f"{name}:", ""), f"{entry['kind']}: {name} reported"
    assert all(name in paths for name in good)
    assert all(line.count(": ") >= 1 and "\n" not in line for line in errors)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.md", b"---\npublished: 2025-02-30\n---\nNimbara Robotics opened an office.\n", None),
        ("b.md", b"---\ndate: 2025-13-45 10:00:00\n---\nNimbara Robotics opened an office.\n", None),
        ("c.json", b'{"text": "Some text.", "id": ' + b"1" * 5000 + b"}", "integer of 5,000 digits"),
        ("d.json", b'{"text": "Some \\ud800 text."}', "text contains a lone surrogate"),
        ("e.json", b'{"text": "Some text.", "title": "\\udc00"}', "title contains a lone surrogate"),
        ("f.json", b'{"text": "Some text.", "url": "http://[::1"}', "is not a valid URL"),
        ("g.md", b"---\nurl: http://[::1\n---\nSome text.\n", "is not a valid URL"),
        ("h.json", b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        ("i.md", b"---\nid: " + b"9" * 5000 + b"\n---\nSome text.\n", "front matter"),
    ],
)
def test_bad_values_are_reasons_not_crashes(tmp_path: Path, name: str, data: bytes, reason: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items = list(read_articles([path]))
    assert len(items) == 1
    if reason is None:
        assert not isinstance(items[0], ArticleError), items[0]
        assert items[0].published is None  # an impossible date is dropped, the article kept
    else:
        assert isinstance(items[0], ArticleError)
        assert reason in str(items[0]) and name in str(items[0])


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.symlink(p.name, p), "symbolic link loop"),
        (lambda p: os.symlink("nowhere.txt", p), "dangling symbolic link (to nowhere.txt)"),
        (lambda p: os.mkfifo(p), "not a regular file: a named pipe (FIFO)"),
        (lambda p: os.symlink("/dev/zero", p), "not a regular file: a character device"),
    ],
)
@pytest.mark.parametrize("named", [True, False], ids=["named", "in-folder"])
def test_special_files_are_reported_not_skipped_or_opened(tmp_path: Path, make, reason: str, named: bool) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "special.txt"
    make(path)
    (tmp_path / "ok.txt").write_text("Title\n\nNimbara Robotics opened an office.\n", encoding="utf-8")
    items = list(read_articles([path] if named else [tmp_path]))
    errors = [str(i) for i in items if isinstance(i, ArticleError)]
    assert errors == [f"{path}: {reason}"]
    assert len(items) == (1 if named else 2)


@pytest.mark.parametrize(
    ("links", "files", "loops"),
    [
        # a link to a folder outside the input folder is followed
        ({"in/b": "../out"}, ["a/one.txt", "b/two.txt"], []),
        # a link to a folder of the input folder: each folder is read once, by the first path in sorted order
        ({"in/z": "a"}, ["a/one.txt"], []),
        ({"in/0": "a"}, ["0/one.txt"], []),
        # a link to a link to a folder
        ({"in/b": "c", "in/c": "../out"}, ["a/one.txt", "b/two.txt"], []),
        # loops: to itself, to its own folder, to a folder above, above the input folder, to /
        ({"in/a/self": "."}, ["a/one.txt"], ["in/a/self: symbolic link loop: links to ., a folder it is in"]),
        ({"in/a/up": ".."}, ["a/one.txt"], ["in/a/up: symbolic link loop: links to .., a folder it is in"]),
        ({"in/up": ".."}, ["a/one.txt"], ["in/up: symbolic link loop: links to .., a folder it is in"]),
        ({"in/root": "/"}, ["a/one.txt"], ["in/root: symbolic link loop: links to /, a folder it is in"]),
        # two links leading to each other: the loop is reported where it closes
        ({"in/a/l": "../../out", "out/back": "../in/a"}, ["a/l/two.txt", "a/one.txt"], ["in/a/l/back: symbolic link loop: links to ../in/a, a folder it is in"]),
    ],
    ids=["outside", "inside-after", "inside-before", "link-to-link", "self", "own-folder", "above-input", "root", "two-links"],
)
def test_symlinked_folders_are_followed_once_and_loops_reported(tmp_path: Path, links: dict[str, str], files: list[str], loops: list[str]) -> None:
    for folder, name in (("in/a", "one.txt"), ("out", "two.txt")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / name).write_text("Title\n\nNimbara Robotics opened an office.\n", encoding="utf-8")
    for link, target in links.items():
        os.symlink(target, tmp_path / link)
    items = list(iter_input_files([tmp_path / "in"]))
    assert [str(i.relative_to(tmp_path / "in")) for i in items if isinstance(i, Path)] == files
    assert [str(i).removeprefix(f"{tmp_path}/") for i in items if isinstance(i, ArticleError)] == loops


def test_non_utf8_file_name_is_shown_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Title\n\nNimbara Robotics opened an office.\n")
    (item,) = read_articles([tmp_path])
    assert not isinstance(item, ArticleError)
    assert item.path is not None and item.path.endswith("caf\\xe9.txt")
    item.path.encode("utf-8")  # printable and storable


@pytest.mark.parametrize("run", ["![", "[", "[^", "<http://", "<!--", "<script>", "&", "\u201c", "~~a", "**a", "`"])
def test_runs_of_markup_are_read_and_no_token_is_longer_than_the_limit(run: str) -> None:
    article = article_from_text("Some text. " + run * 20_000)
    assert max(len(word) for word in article.text.split()) <= MAX_TOKEN_CHARS
    again = article_from_text(article.text, markdown=False)
    assert again.text == article.text  # idempotent: the id is stable


def test_name_keys_are_bounded_and_distinct() -> None:
    long_a, long_b = "Zork " * 1000 + "Alpha", "Zork " * 1000 + "Beta"
    assert len(name_key(long_a)) <= MAX_KEY_CHARS
    assert name_key(long_a) != name_key(long_b)
    assert entity_id("Organization", "Nimbara Robotics") == "org:nimbara-robotics"


# -- extraction: per-article failures, budgets, sections --------------------------------------------


@pytest.fixture(scope="module")
def fragile_nlp() -> Language:
    """A blank English pipeline whose one component fails on "EXPLODE" and stalls on "STALL"."""
    import kg.extract.claims_component  # noqa: F401 - registers the doc extensions the builder reads

    @Language.component("test_fragile")
    def fragile(doc):  # type: ignore[no-untyped-def]
        if "EXPLODE" in doc.text:
            raise ValueError("boom")
        if "STALL" in doc.text:  # busy: the budget counts CPU time
            end = time.process_time() + 5
            while time.process_time() < end:
                pass
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_fragile")
    return nlp


def _articles(*texts: str) -> list:  # type: ignore[type-arg]
    return [article_from_text(text, path=f"t{i}.txt") for i, text in enumerate(texts)]


def test_one_failing_article_does_not_take_its_batch_down(fragile_nlp: Language) -> None:
    articles = _articles("First fine text.", "This one will EXPLODE now.", "Third fine text.")
    results = list(extractor.extract_articles(fragile_nlp, articles, batch_size=8))
    assert [r.article.path for r in results] == ["t0.txt", "t1.txt", "t2.txt"]
    assert [r.error is None for r in results] == [True, False, True]
    assert results[1].error == "extraction failed (ValueError: boom)"
    assert list(results[1].records()) == []
    assert len(list(results[0].records())) == 1


def test_an_article_over_its_time_budget_is_reported_and_skipped(fragile_nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSKG_ARTICLE_SECONDS", "0.5")
    monkeypatch.setattr("kg.extract.budget.SECONDS_PER_10K_CHARS", 0.0)
    started = time.process_time()
    results = list(extractor.extract_articles(fragile_nlp, _articles("Fine.", "Please STALL here.", "Fine too."), batch_size=8))
    assert time.process_time() - started < 4.5  # stopped at the budget (twice: batch, then alone), not after the 5 s stall
    assert [r.error for r in results][0] is None and results[2].error is None
    assert results[1].error is not None and "time budget" in results[1].error


@pytest.mark.parametrize(("text", "limit"), [("a b\n\nc d. e f " * 500, 300), ("x" * 5000, 700), ("para.\n\n" * 10, 1000)])
def test_sections_concatenate_to_the_text(text: str, limit: int) -> None:
    sections = extractor.split_sections(text, limit)
    assert "".join(s for _, s in sections) == text
    assert all(len(s) <= limit for _, s in sections)
    assert all(text[offset : offset + len(s)] == s for offset, s in sections)


def test_a_long_article_is_extracted_in_sections_with_article_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.extract.pipeline import load_pipeline

    nlp = load_pipeline()
    bench = _bench()
    import random

    text = "A long report\n\n" + bench.ordinary_text(random.Random(2), 30_000)
    article = article_from_text(text, path="long.txt")
    monkeypatch.setattr(extractor, "SECTION_TOKENS", 1_000)
    (result,) = extractor.extract_articles(nlp, [article])
    assert result.error is None
    assert len(result.mentions) > 50
    for mention in result.mentions:
        assert article.text[mention.start : mention.end] == mention.text
    sentences = [m.sentence for m in result.mentions]
    assert sentences == sorted(sentences) and sentences[-1] > 40  # numbered across sections
    for claim in result.claims:
        assert 0 <= claim.start < claim.end <= len(article.text)
        if claim.spans:
            for start, end in claim.spans.values():
                assert article.text[start:end].strip()
    assert len({c.id for c in result.claims}) == len(result.claims)


def test_entity_mentions_over_the_name_limit_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.extract.pipeline import load_pipeline

    nlp = load_pipeline()
    monkeypatch.setattr(extractor, "MAX_ENTITY_CHARS", 8)
    (result,) = extractor.extract_articles(nlp, _articles("Nimbara Robotics hired Mara Okonjo in Lisbon."))
    assert result.error is None
    assert all(len(m.text) <= 8 for m in result.mentions)


# -- the CLI over the sample --------------------------------------------------------------------------


@pytest.mark.skipif(KG is None, reason="needs the kg script in .venv")
def test_kg_extract_over_hostile_inputs_names_them_and_extracts_the_rest(sample: tuple[Path, dict[str, dict[str, str]], list[str]], tmp_path: Path) -> None:
    folder, manifest, good = sample
    out = tmp_path / "graph.jsonl"
    proc = subprocess.run([KG, "extract", str(folder), "-p", "1", "-o", str(out), "-q"], capture_output=True, text=True, errors="backslashreplace", timeout=600)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    for name, entry in manifest.items():
        if entry["expect"] == "error":
            assert name in proc.stderr, entry["kind"]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stored = {os.path.basename(r["path"].split("#")[0]) for r in lines if r["kind"] == "article"}
    assert set(good) <= stored
    assert {n for n, e in manifest.items() if e["expect"] == "ok"} <= stored


# -- shutdown: workers never outlive kg --------------------------------------------------------------

_PARENT = """
import os, sys, time
from kg.distributed import ProcessExecutor
pool = ProcessExecutor(2)
pids = {pool._pool.submit(os.getpid).result() for _ in range(8)}
print(" ".join(map(str, pids)), flush=True)
time.sleep(60)
"""


def test_workers_exit_when_their_parent_is_killed() -> None:
    _alive = _bench().alive
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert parent.stdout is not None
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert workers and all(_alive(p) for p in workers)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)


# -- query confinement ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cypher", "refused"),
    [
        ("MATCH (m:Model) RETURN m.name LIMIT 5", None),
        ("MATCH (n {name: 'LOAD CSV and SHOW SETTINGS'}) RETURN n // dbms.listConfig", None),
        ("MATCH (n) RETURN n.show AS show, n.use AS use, $use", None),
        ("SHOW INDEXES", None),
        ("CALL db.labels()", None),
        ("LOAD CSV FROM 'http://127.0.0.1:8000/x.csv' AS row RETURN row", "LOAD CSV"),
        ("load /* hidden */ csv from $url as r return r", "LOAD CSV"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-42'", "TERMINATE"),
        ("CALL dbms.listConfig() YIELD name RETURN name", "dbms."),
        ("CALL `dbms`.`listConfig`()", "dbms."),
        ("SHOW SETTINGS", "SHOW"),
        ("SHOW TRANSACTIONS", "SHOW"),
        ("USE system SHOW USERS", "SHOW"),
        ("USE system MATCH (n) RETURN n", "USE"),
        ("GRANT ROLE admin TO bob", "privilege"),
        ("CREATE USER eve SET PASSWORD 'x'", "administer"),
        ("CALL apoc.load.json('file:///etc/passwd')", "APOC"),
    ],
)
def test_confinement_of_ad_hoc_cypher(cypher: str, refused: str | None) -> None:
    problem = confinement_problem(cypher)
    if refused is None:
        assert problem is None
    else:
        assert problem is not None and refused in problem and problem.startswith("refused: ")


@pytest.mark.parametrize("write", [False, True])
def test_kg_query_refuses_before_connecting(write: bool) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    args = ["query", "--cypher", "CALL dbms.listConfig()", "--uri", "bolt://127.0.0.1:9", "--password", "x"]
    result = CliRunner().invoke(app, args + (["--write"] if write else []))
    assert result.exit_code == 2
    assert "refused: dbms.* procedures" in result.output
    assert "127.0.0.1:9" not in result.output  # never tried to connect


# -- loading: a batch the server refuses for memory is split ----------------------------------------


class _MemoryBoundSession:
    """A session whose server refuses any transaction of more than ``limit`` articles."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.committed: list[list[str]] = []

    def execute_write(self, work, groups, registry):  # type: ignore[no-untyped-def]
        from kg.neo4j.transactions import Outcome, TransactionTooLarge

        if len(groups) > self.limit:
            raise TransactionTooLarge("more than the limit (db.memory.transaction.max)")
        self.committed.append([g.article.id for g in groups])
        outcome = Outcome()
        outcome.summary.articles_created = len(groups)
        return outcome


@pytest.mark.parametrize(("articles", "limit", "committed"), [(8, 3, [2, 2, 2, 2]), (5, 2, [2, 1, 2]), (4, 4, [4]), (3, 0, [])])
def test_a_batch_refused_for_memory_is_split_until_it_fits(articles: int, limit: int, committed: list[int]) -> None:
    from kg.document import ArticleRecord
    from kg.neo4j.batching import ArticleGroup, Batcher
    from kg.neo4j.entity_registry import EntityRegistry
    from kg.neo4j.loader import GraphLoader, LoadSummary

    problems: list[str] = []
    loader = GraphLoader(driver=None, database="neo4j", on_problem=lambda p: problems.append(str(p)))  # type: ignore[arg-type]
    groups = [ArticleGroup(ArticleRecord(id=f"a{i}", title=None, published=None, source=None, url=None, path=None, content_hash="h", text="t"), line=i + 1, published=None) for i in range(articles)]
    summary = LoadSummary()
    registry = EntityRegistry()
    session = _MemoryBoundSession(limit)
    loader._write_groups(session, groups, registry, summary, Batcher(registry, summary, source="doc", on_problem=loader.on_problem))  # type: ignore[arg-type]
    assert [len(ids) for ids in session.committed] == committed
    assert [i for ids in session.committed for i in ids] == [g.article.id for g in groups][: sum(committed)]
    assert summary.articles_created == sum(committed)
    if limit == 0:  # one article alone still too large: reported and skipped, the load goes on
        assert summary.skipped == articles and len(problems) == articles
        assert "too large for one transaction" in problems[0]


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("Neo.TransientError.General.MemoryPoolOutOfMemoryError", "The allocation of an extra 2.0 MiB would use more than the limit 358.4 MiB", True),
        ("Neo.TransientError.General.TransactionMemoryLimit", "limit", True),
        ("Neo.TransientError.Transaction.DeadlockDetected", "deadlock", False),
        ("Neo.ClientError.Statement.SyntaxError", "memory", False),
    ],
)
def test_out_of_memory_errors_are_recognised(code: str, message: str, expected: bool) -> None:
    from neo4j.exceptions import Neo4jError

    from kg.neo4j.transactions import is_out_of_memory

    error = Neo4jError._hydrate_neo4j(code=code, message=message) if hasattr(Neo4jError, "_hydrate_neo4j") else Neo4jError(message)
    if not hasattr(Neo4jError, "_hydrate_neo4j"):
        error.code = code  # type: ignore[misc]
    assert is_out_of_memory(error) is expected


def _select_by_comparing_all(candidates: list[EntityCandidate]) -> list[EntityCandidate]:
    """The former select_entities: each candidate compared with every chosen one (quadratic)."""
    chosen: list[EntityCandidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if all(cand.end <= other.start or cand.start >= other.end for other in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


@pytest.mark.parametrize("seed", range(8))
def test_select_entities_by_bisection_chooses_as_comparing_all(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        candidates = []
        for n in range(rng.randrange(40)):
            start = rng.randrange(60)
            candidates.append(EntityCandidate(start, start + rng.randrange(1, 8), "Person", rng.randrange(4), "ner", f"c{n}"))
        assert select_entities(candidates) == _select_by_comparing_all(candidates)


def test_select_entities_drops_empty_spans() -> None:
    empty, word = EntityCandidate(5, 5, "Person", 3, "ner", ""), EntityCandidate(3, 8, "Person", 1, "ner", "Ng")
    assert select_entities([empty, word]) == [word]

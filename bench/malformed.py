"""Hostile inputs for newskg: a generator of malformed and pathological article files, and a
benchmark that runs them mixed with good articles through ``kg extract`` and ``kg ingest``.

    .venv/bin/python bench/malformed.py generate OUT [--copies 36] [--seed 17] [--heavy/--no-heavy]
    .venv/bin/python bench/malformed.py run OUT [--good 50] [--processes 2] [--ingest] [--per-input [--per-input-budget S]]
    .venv/bin/python bench/malformed.py big [--chars 2000000]        # one long ordinary article
    .venv/bin/python bench/malformed.py kill [--times 3]             # kill -9 of kg, then resume

``generate`` writes ``--copies`` files of each cheap kind and one or two of each heavy kind (a
1.2M-character article, 50,000 ``![``, 500 KB of ``&amp;``, ...), plus ``manifest.json``: for
every input its kind and what newskg must do with it, ``error`` (reported on stderr with its
name, never extracted) or ``ok`` (extracted, maybe degraded: a bad date is dropped, a long run
of punctuation is cut). With the defaults: 1,700+ inputs of 60 kinds.

``run`` copies ``--good`` BBC articles from ../shared/corpus/bbc (read at run time, never stored
in the repository) next to them, runs ``kg extract`` (and with ``--ingest`` ``kg ingest`` into
the Neo4j that ``kg`` finds: NEO4J_URI or the local default instance; the database is emptied
first), and prints: exit codes, tracebacks (must be 0), error inputs not named on stderr (must
be none), ok inputs and good articles missing from the output or the database, total time and
the peak memory of the process tree (kg and its workers). ``--per-input`` then extracts every
input alone in one process and prints the slowest ones with their kinds (one input of each kind
in turn, so ``--per-input-budget SECONDS`` stops it early with every kind covered).

``big`` times ``kg extract -p 1`` on one synthetic ordinary article (paragraphs of sentences
about made-up companies and people; no corpus text) of ``--chars`` characters, and a tenth of
it, to show whether time and memory grow linearly.

``kill`` runs ``kg extract -p 2`` over 200 BBC articles plus the cheap malformed inputs, kills
it with SIGKILL at ``--times`` random moments, checks that no process of it is left, then runs
it again to completion and compares the output with a clean run's, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANIFEST = ".manifest.json"  # hidden: kg skips it when it reads the folder
GOOD = "good-bbc"
BBC = REPO.parent / "shared" / "corpus" / "bbc"
KG = [sys.executable, "-m", "kg.cli"] if not (REPO / ".venv" / "bin" / "kg").exists() else [str(REPO / ".venv" / "bin" / "kg")]

# ------------------------------------------------------------------------------------------------
# Synthetic text (no corpus text: made-up names and sentences)

_ORGS = ["Nimbara Robotics", "Quillfeather Labs", "Orvane Systems", "Talloway Group", "Brisket AI", "Kestrel Dynamics"]
_PEOPLE = ["Mara Okonjo", "Teodor Vance", "Lina Araya", "Piet Vermeulen", "Sana Idris", "Colm Farrell"]
_PLACES = ["Lisbon", "Nairobi", "Osaka", "Toronto", "Valparaiso", "Tallinn"]
_VERBS = ["announced", "released", "said it would expand", "reported", "confirmed", "delayed"]
_OBJECTS = ["a new model", "its quarterly results", "a research partnership", "an open-source toolkit", "a hiring freeze", "a chip design"]


def sentence(rng: random.Random) -> str:
    org, person, place = rng.choice(_ORGS), rng.choice(_PEOPLE), rng.choice(_PLACES)
    forms = [
        f"{org} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} in {place} on Tuesday.",
        f'"We expect steady growth," said {person}, chief executive of {org}.',
        f"{person} told reporters in {place} that {org} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}.",
        f"Analysts said the move by {org} could change the market for {rng.choice(_OBJECTS)}.",
    ]
    return rng.choice(forms)


def ordinary_text(rng: random.Random, chars: int) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def good_article(rng: random.Random, chars: int = 1200) -> str:
    return f"{rng.choice(_ORGS)} expands in {rng.choice(_PLACES)}\n\n{ordinary_text(rng, chars)}\n"


# ------------------------------------------------------------------------------------------------
# Kinds: name -> (suffix, expectation, writer, heavy). A writer gets (path, rng) and creates it.

Writer = Callable[[Path, random.Random], None]
KINDS: dict[str, tuple[str, str, Writer, bool]] = {}


def kind(name: str, suffix: str, expect: str, *, heavy: bool = False) -> Callable[[Writer], Writer]:
    def register(writer: Writer) -> Writer:
        KINDS[name] = (suffix, expect, writer, heavy)
        return writer

    return register


def _bytes(data: bytes) -> Writer:
    return lambda path, rng: path.write_bytes(data)


def _text(make: Callable[[random.Random], str]) -> Writer:
    return lambda path, rng: path.write_text(make(rng), encoding="utf-8")


def _json(make: Callable[[random.Random], str]) -> Writer:
    return lambda path, rng: path.write_text(make(rng), encoding="utf-8")


def _register_all() -> None:
    body = lambda rng: ordinary_text(rng, 400)  # noqa: E731
    # -- inputs newskg must refuse, naming the file (and line) --------------------------------
    kind("empty", ".txt", "error")(_bytes(b""))
    kind("whitespace_only", ".md", "error")(_bytes(b"  \n\t\n   \n"))
    kind("binary_garbage", ".txt", "error")(lambda p, rng: p.write_bytes(bytes(rng.randrange(256) for _ in range(2000)) + b"\x00"))
    kind("utf16", ".txt", "error")(lambda p, rng: p.write_bytes(good_article(rng, 300).encode("utf-16")))
    kind("latin1", ".txt", "error")(lambda p, rng: p.write_bytes(("Caf\u00e9 news\n\n" + body(rng) + " d\u00e9j\u00e0 vu").encode("latin-1")))
    kind("nul_in_middle", ".md", "error")(lambda p, rng: p.write_bytes(good_article(rng, 300).encode() + b"\x00tail"))
    kind("json_invalid", ".json", "error")(_json(lambda rng: '{"text": "' + body(rng)[:200]))
    kind("json_scalar", ".json", "error")(_json(lambda rng: str(rng.randint(0, 99))))
    kind("json_no_text", ".json", "error")(_json(lambda rng: json.dumps({"title": "No body", "url": "https://example.org/a"})))
    kind("json_text_not_string", ".json", "error")(_json(lambda rng: json.dumps({"text": [1, 2, 3]})))
    kind("json_id_bool", ".json", "error")(_json(lambda rng: json.dumps({"text": body(rng), "id": True})))
    kind("json_huge_int", ".json", "error")(_json(lambda rng: '{"text": ' + json.dumps(body(rng)) + ', "id": ' + "7" * rng.randint(4301, 6000) + "}"))
    kind("json_lone_surrogate_text", ".json", "error")(_json(lambda rng: '{"text": "' + body(rng)[:200] + ' \\ud800 end"}'))
    kind("json_lone_surrogate_title", ".json", "error")(_json(lambda rng: '{"text": ' + json.dumps(body(rng)) + ', "title": "A \\udc9f title"}'))
    kind("jsonl_lone_surrogate_id", ".jsonl", "error")(_json(lambda rng: '{"text": ' + json.dumps(body(rng)) + ', "id": "x\\ud83d"}\n'))
    kind("json_bad_ipv6_url", ".json", "error")(_json(lambda rng: json.dumps({"text": body(rng), "url": "http://[::1"})))
    kind("json_deep_nesting", ".json", "error")(_json(lambda rng: "[" * 100_000 + "]" * 100_000))
    kind("json_empty_list", ".json", "error")(_json(lambda rng: "[]"))
    kind("json_list_mixed", ".json", "error")(_json(lambda rng: json.dumps([{"text": body(rng)}, {"text": 5}, "x", {"text": body(rng), "url": "http://[bad"}])))
    kind("jsonl_mixed_lines", ".jsonl", "error")(_json(lambda rng: "\n".join([json.dumps({"text": body(rng)}), "{broken", "[]", '{"text": "\\udfff"}', json.dumps({"text": body(rng)})]) + "\n"))
    kind("frontmatter_bad_yaml", ".md", "error")(_text(lambda rng: "---\ntitle: [unclosed\nurl: x\n---\n" + body(rng)))
    kind("frontmatter_not_mapping", ".md", "error")(_text(lambda rng: "---\n- a\n- b\n---\n" + body(rng)))
    kind("frontmatter_list_value", ".md", "error")(_text(lambda rng: "---\ntitle:\n  - a\n  - b\n---\n" + body(rng)))
    kind("frontmatter_bad_url", ".md", "error")(_text(lambda rng: "---\ntitle: Bad link\nurl: http://[::1\n---\n" + body(rng)))
    kind("frontmatter_huge_int", ".md", "error")(_text(lambda rng: "---\nid: " + "9" * 5000 + "\n---\n" + body(rng)))
    kind("markup_only", ".md", "error")(_text(lambda rng: "![a](b.png)\n\n<div></div>\n\n---\n\n[^1]\n"))
    kind("html_unknown_charset", ".html", "error")(lambda p, rng: p.write_bytes(b'<html><head><meta charset="x-klingon"></head><body><p>caf\xe9 ' + body(rng).encode() + b"</p></body></html>"))
    kind("html_no_text", ".html", "error")(_bytes(b"<html><body><script>var a=1;</script></body></html>"))
    kind("symlink_loop", ".txt", "error")(lambda p, rng: os.symlink(p.name, p))
    kind("dangling_symlink", ".md", "error")(lambda p, rng: os.symlink(f"missing-{rng.randrange(10**9)}.md", p))
    kind("fifo", ".txt", "error")(lambda p, rng: os.mkfifo(p))
    kind("link_to_dev_zero", ".txt", "error")(lambda p, rng: os.symlink("/dev/zero", p))
    kind("over_size_limit", ".txt", "error")(lambda p, rng: os.truncate(_touch(p), 25_000_000))  # sparse: no disk used

    # -- inputs newskg must extract (possibly degraded), whatever their shape ------------------
    kind("frontmatter_impossible_date", ".md", "ok")(_text(lambda rng: "---\ntitle: Impossible date\npublished: 2025-02-30\n---\n" + body(rng)))
    kind("frontmatter_bad_datetime", ".md", "ok")(_text(lambda rng: "---\ntitle: Bad time\ndate: 2025-13-45 10:00:00\n---\n" + body(rng)))
    kind("header_bad_date", ".txt", "ok")(_text(lambda rng: "Headline here\nFebruary 30, 2025\n\n" + body(rng)))
    kind("json_bad_date", ".json", "ok")(_json(lambda rng: json.dumps({"text": body(rng), "date": "2025-99-99", "title": "Odd"})))
    kind("non_utf8_file_name", ".txt", "ok")(lambda p, rng: None)  # written by generate() under a Latin-1 name
    kind("crlf_and_cr_lines", ".txt", "ok")(lambda p, rng: p.write_bytes(good_article(rng, 400).replace("\n", "\r\n").encode() + b"\rmore text.\r"))
    kind("control_characters", ".txt", "ok")(_text(lambda rng: good_article(rng, 300) + "".join(chr(c) for c in range(1, 32) if c not in (10, 13)) + " end."))
    kind("combining_marks", ".md", "ok")(_text(lambda rng: good_article(rng, 200) + "Z" + "\u0301\u0302\u0303" * 3000 + " done."))
    kind("emoji_and_rtl", ".md", "ok")(_text(lambda rng: good_article(rng, 200) + " \U0001f680\u200f\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u202e reversed \u202c end."))
    kind("long_word_10k", ".txt", "ok")(_text(lambda rng: "A long word\n\n" + body(rng) + " " + "x" * 10_000 + " end."))
    kind("capitalised_run", ".txt", "ok")(_text(lambda rng: "Names\n\n" + " ".join(["Zorblax"] * 3000) + f" said on Monday {rng.randrange(10**9)}."))
    kind("deep_blockquote", ".md", "ok")(_text(lambda rng: "> " * 5000 + body(rng) + "\n"))
    kind("deep_list_nesting", ".md", "ok")(_text(lambda rng: "\n".join("  " * i + "- item " + str(i) for i in range(500)) + "\n\n" + body(rng)))
    kind("unclosed_code_fence", ".md", "ok")(_text(lambda rng: body(rng) + "\n\n```\ncode that never closes\n" + "x = 1\n" * 200))
    kind("many_short_paragraphs", ".md", "ok")(_text(lambda rng: "Lines\n\n" + "\n\n".join(f"Line {i}." for i in range(3000)) + f"\n\nRun {rng.randrange(10**9)}."))
    kind("html_unclosed_script", ".html", "ok")(_text(lambda rng: "<html><body><p>" + body(rng) + "</p>" + "<script>" * 2000 + "</body></html>"))
    # heavy ones: few copies, each tests linear time, sections or the token-length guard
    kind("md_image_openers_50k", ".md", "ok", heavy=True)(_text(lambda rng: "Images\n\n" + body(rng) + " " + "![" * 50_000 + "\n"))
    kind("md_link_openers_20k", ".md", "ok", heavy=True)(_text(lambda rng: "Links\n\n" + body(rng) + " " + "[" * 20_000 + "\n"))
    kind("md_autolink_openers_10k", ".md", "ok", heavy=True)(_text(lambda rng: "Autolinks\n\n" + body(rng) + " " + "<http://" * 10_000 + "\n"))
    kind("md_comment_openers_10k", ".md", "ok", heavy=True)(_text(lambda rng: "Comments\n\n" + body(rng) + " " + "<!--" * 10_000 + "\n"))
    kind("md_backticks_20k", ".md", "ok", heavy=True)(_text(lambda rng: "Backticks\n\n" + body(rng) + " " + "`" * 20_000 + " ``a`" * 2_000 + "\n"))
    kind("ampersands_10k", ".txt", "ok", heavy=True)(_text(lambda rng: "Ampersands\n\n" + body(rng) + " " + "&" * 10_000 + "\n"))
    kind("curly_quotes_10k", ".txt", "ok", heavy=True)(_text(lambda rng: "Quotes\n\n" + body(rng) + " " + "\u201c" * 10_000 + "\n"))
    kind("amp_entities_500kb", ".md", "ok", heavy=True)(_text(lambda rng: "Entities\n\n" + body(rng) + "\n\n" + "&amp;" * 100_000 + "\n"))
    kind("strike_markers_50k", ".md", "ok", heavy=True)(_text(lambda rng: "Strike\n\n" + body(rng) + " " + "~~a" * 50_000 + "\n"))
    kind("line_200k_without_stops", ".txt", "ok", heavy=True)(_text(lambda rng: "Run-on\n\n" + " ".join(rng.choice(_ORGS + _PEOPLE + _PLACES + ["and", "the", "with"]) for _ in range(20_000))))
    kind("article_1_2m_chars", ".txt", "ok", heavy=True)(_text(lambda rng: "A very long report\n\n" + ordinary_text(rng, 1_200_000)))


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


_register_all()


def generate(out: Path, copies: int, seed: int, heavy: bool) -> dict[str, dict[str, str]]:
    """Write the inputs into ``out`` (emptied) and return the manifest (also saved as manifest.json)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    manifest: dict[str, dict[str, str]] = {}
    for name, (suffix, expect, writer, is_heavy) in KINDS.items():
        if is_heavy and not heavy:
            continue
        n = (2 if name != "article_1_2m_chars" else 1) if is_heavy else copies
        for i in range(n):
            if name == "non_utf8_file_name":
                raw = os.fsencode(out) + b"/caf\xe9-" + str(i).encode() + suffix.encode()
                with open(raw, "wb") as handle:
                    handle.write(good_article(rng, 400).encode())
                label = os.fsdecode(raw)
            else:
                path = out / f"{name}-{i:03d}{suffix}"
                writer(path, rng)
                label = str(path)
            manifest[os.path.basename(label).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")] = {"kind": name, "expect": expect}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


# ------------------------------------------------------------------------------------------------
# Running and measuring


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in tree(self.pid)))
            time.sleep(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid: int) -> list[int]:
    kids, found, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(kids.get(p, ()))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def run_measured(cmd: list[str], **kwargs: object) -> tuple[int, float, int, str, str]:
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="backslashreplace", **kwargs)  # type: ignore[call-overload]
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    return process.returncode, time.perf_counter() - started, memory.stop(), out, err


def copy_good(folder: Path, count: int) -> list[str]:
    files = sorted(BBC.glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no BBC articles under {BBC}")
    chosen = random.Random(5).sample(files, count)
    names = []
    for i, src in enumerate(chosen):
        dest = folder / f"good-{i:02d}-{src.parent.name}-{src.name}"
        shutil.copyfile(src, dest)
        names.append(dest.name)
    return names


def check_stderr(err: str, manifest: dict[str, dict[str, str]]) -> tuple[int, list[str]]:
    tracebacks = err.count("Traceback (most recent call last)")
    unnamed = [name for name, entry in manifest.items() if entry["expect"] == "error" and name not in err]
    return tracebacks, unnamed


def run(folder: Path, good: int, processes: int, ingest: bool, per_input: bool, extract: bool = True, per_input_budget: float | None = None) -> None:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="newskg-malformed-"))
    inputs = folder
    shutil.rmtree(folder / GOOD, ignore_errors=True)
    (folder / GOOD).mkdir()
    good_names = copy_good(folder / GOOD, good)
    print(f"inputs: {len(manifest)} generated ({sum(e['expect'] == 'error' for e in manifest.values())} to refuse, "
          f"{sum(e['expect'] == 'ok' for e in manifest.values())} to extract; {len({e['kind'] for e in manifest.values()})} kinds) + {good} good BBC articles")
    if extract:
        _run_extract(inputs, work, manifest, good_names, good, processes)
    if ingest:
        _run_ingest(inputs, manifest, good_names, processes)
    if per_input:
        _per_input(inputs, manifest, per_input_budget)
    shutil.rmtree(work, ignore_errors=True)


def _run_extract(inputs: Path, work: Path, manifest: dict[str, dict[str, str]], good_names: list[str], good: int, processes: int) -> None:
    output = work / "graph.jsonl"
    code, seconds, peak, _, err = run_measured([*KG, "extract", str(inputs), "-p", str(processes), "-o", str(output), "-q"])
    tracebacks, unnamed = check_stderr(err, manifest)
    paths = [json.loads(line).get("path") or "" for line in output.read_text(encoding="utf-8").splitlines() if '"kind": "article"' in line or '"kind":"article"' in line]
    stored = {os.path.basename(p.split("#")[0]) for p in paths}
    missing_ok = [n for n, e in manifest.items() if e["expect"] == "ok" and n not in stored]
    missing_good = [n for n in good_names if n not in stored]
    refused_lines = sum(1 for line in err.splitlines() if line.startswith("kg extract: "))
    print(f"kg extract -p {processes}: exit {code}, {seconds:.0f} s, peak memory {peak / 2**30:.2f} GB (process tree), {tracebacks} tracebacks, "
          f"{refused_lines} inputs reported, error inputs not named: {len(unnamed)}, ok inputs missing: {len(missing_ok)}, good missing: {len(missing_good)} of {good}")
    _print_unexpected(unnamed, missing_ok, missing_good, manifest, err)
    if tracebacks:
        print(err[err.find("Traceback") :][:3000])


def _run_ingest(inputs: Path, manifest: dict[str, dict[str, str]], good_names: list[str], processes: int) -> None:
    subprocess.run([*KG, "query", "--write", "--cypher", "MATCH (n) DETACH DELETE n"], check=True, capture_output=True)
    code, seconds, peak, out, err = run_measured([*KG, "ingest", str(inputs), "-p", str(processes)])
    tracebacks, unnamed = check_stderr(err, manifest)
    result = subprocess.run([*KG, "query", "--format", "json", "--cypher", "MATCH (a:Article) RETURN a.path AS path"], capture_output=True, text=True, check=True)
    stored = {os.path.basename((row.get("path") or "").split("#")[0]) for row in json.loads(result.stdout)}
    missing_good = [n for n in good_names if n not in stored]
    missing_ok = [n for n, e in manifest.items() if e["expect"] == "ok" and n not in stored]
    print(f"kg ingest -p {processes}: exit {code}, {seconds:.0f} s, peak memory {peak / 2**30:.2f} GB (process tree, server not included), {tracebacks} tracebacks, "
          f"error inputs not named: {len(unnamed)}, ok inputs not stored: {len(missing_ok)}, good stored: {len(good_names) - len(missing_good)}/{len(good_names)}")
    _print_unexpected(unnamed, missing_ok, missing_good, manifest, err)
    if tracebacks:
        print(err[err.find("Traceback") :][:3000])


def _print_unexpected(unnamed: list[str], missing_ok: list[str], missing_good: list[str], manifest: dict[str, dict[str, str]], err: str) -> None:
    """One line per kind that did not behave as the manifest says, with what stderr says of one."""
    for label, names in (("not named", unnamed), ("not extracted", missing_ok), ("good not extracted", missing_good)):
        by_kind: dict[str, list[str]] = {}
        for name in names:
            by_kind.setdefault(manifest.get(name, {}).get("kind", "good"), []).append(name)
        for kind_name, members in sorted(by_kind.items()):
            said = next((line for line in err.splitlines() if members[0] in line), "(nothing on stderr)")
            print(f"  {label}: {len(members)} x {kind_name}, e.g. {said[:200]}")


def _per_input(inputs: Path, manifest: dict[str, dict[str, str]], budget: float | None = None) -> None:
    """Read and extract every input alone, in this process; print the slowest with their kinds.

    Inputs are taken one of each kind in turn (in a random order fixed by a seed), so that a
    run stopped by ``budget`` (seconds; no new input is started after it) covers every kind."""
    from kg.articles.discovery import iter_input_files
    from kg.articles.model import ArticleError
    from kg.articles.readers import read_article_file
    from kg.extract.extractor import extract_articles
    from kg.extract.pipeline import load_pipeline

    nlp = load_pipeline(None)
    by_kind: dict[str, list[Path]] = {}
    for item in iter_input_files([inputs]):
        if not isinstance(item, ArticleError):
            by_kind.setdefault(manifest.get(os.fsdecode(item.name), {}).get("kind", "good"), []).append(item)
    rng = random.Random(17)
    for files in by_kind.values():
        rng.shuffle(files)
    order = [(kind, files[i]) for i in range(max(map(len, by_kind.values()), default=0)) for kind, files in sorted(by_kind.items()) if i < len(files)]
    timings: list[tuple[float, str, str, int]] = []
    begun = time.perf_counter()
    for kind, item in order:
        if budget is not None and time.perf_counter() - begun > budget:
            break
        started = time.perf_counter()
        chars = 0
        for article in read_article_file(item):
            if not isinstance(article, ArticleError):
                chars += len(article.text)
                list(extract_articles(nlp, [article]))
        timings.append((time.perf_counter() - started, kind, os.fsdecode(item.name).encode("utf-8", "surrogateescape").decode("utf-8", "replace"), chars))
    timings.sort(reverse=True)
    covered = len({kind for _, kind, _, _ in timings})
    print(f"per input (read + extract alone, one process): {len(timings)} of {len(order)} readable inputs, {covered} of {len(by_kind)} kinds, "
          f"total {sum(t for t, _, _, _ in timings):.0f} s; slowest:")
    for seconds, kind, name, chars in timings[:8]:
        print(f"  {seconds:7.1f} s  {chars:>9,} chars  {kind:<24} {name}")


def big(chars: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="newskg-big-"))
    rng = random.Random(3)
    text = ordinary_text(rng, chars)
    for size in (chars // 10, chars):
        path = work / f"big-{size}.txt"
        path.write_text("A long ordinary article\n\n" + text[:size], encoding="utf-8")
        code, seconds, peak, out, err = run_measured([*KG, "extract", str(path), "-p", "1", "-o", str(work / "out.jsonl")])
        print(f"kg extract -p 1, one article of {size:,} characters: exit {code}, {seconds:.1f} s, peak memory {peak / 2**30:.2f} GB")
        if code:
            print(err[-2000:])
    shutil.rmtree(work, ignore_errors=True)


def kill(times: int, seed: int) -> None:
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="newskg-kill-"))
    inputs = work / "inputs"
    generate(inputs, copies=2, seed=1, heavy=False)
    (inputs / GOOD).mkdir()
    copy_good(inputs / GOOD, 200)
    clean = work / "clean.jsonl"
    code, seconds, _, _, _ = run_measured([*KG, "extract", str(inputs), "-p", "2", "-o", str(clean), "-q"])
    print(f"clean run: exit {code}, {seconds:.0f} s")
    output = work / "killed.jsonl"
    for attempt in range(times):
        moment = rng.uniform(2.0, max(3.0, seconds * 0.9))
        process = subprocess.Popen([*KG, "extract", str(inputs), "-p", "2", "-o", str(output), "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        family = tree(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        left = [p for p in family[1:] if alive(p)]
        while left and time.monotonic() < deadline:
            time.sleep(0.2)
            left = [p for p in family[1:] if alive(p)]
        print(f"kill -9 after {moment:.1f} s: {len(family) - 1} child processes (workers, resource tracker), {len(left)} still alive 10 s later")
    code, seconds, _, _, _ = run_measured([*KG, "extract", str(inputs), "-p", "2", "-o", str(output), "-q"])
    same = output.read_bytes() == clean.read_bytes()
    print(f"rerun: exit {code}, {seconds:.0f} s, output byte-identical to the clean run: {same}")
    shutil.rmtree(work, ignore_errors=True)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out", type=Path)
    g.add_argument("--copies", type=int, default=36)
    g.add_argument("--seed", type=int, default=17)
    g.add_argument("--heavy", action=argparse.BooleanOptionalAction, default=True)
    r = sub.add_parser("run")
    r.add_argument("folder", type=Path)
    r.add_argument("--good", type=int, default=50)
    r.add_argument("--processes", "-p", type=int, default=2)
    r.add_argument("--ingest", action="store_true")
    r.add_argument("--per-input", action="store_true")
    r.add_argument("--per-input-budget", type=float, default=None, help="seconds after which --per-input starts no new input (every kind is covered first)")
    r.add_argument("--extract", action=argparse.BooleanOptionalAction, default=True)
    b = sub.add_parser("big")
    b.add_argument("--chars", type=int, default=2_000_000)
    k = sub.add_parser("kill")
    k.add_argument("--times", type=int, default=3)
    k.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.command == "generate":
        manifest = generate(args.out, args.copies, args.seed, args.heavy)
        kinds = {e["kind"] for e in manifest.values()}
        print(f"{len(manifest)} inputs of {len(kinds)} kinds in {args.out}")
    elif args.command == "run":
        run(args.folder, args.good, args.processes, args.ingest, args.per_input, args.extract, args.per_input_budget)
    elif args.command == "big":
        big(args.chars)
    else:
        kill(args.times, args.seed)


if __name__ == "__main__":
    main()

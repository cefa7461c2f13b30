"""The named query library: header parsing and typing (no database), then every shipped query run
through ``kg query`` against the real Neo4j test server on the analyst fixture graph.

The fixture (tests/fixtures/analyst/graph.jsonl) is ``kg extract`` of the five articles in
tests/fixtures/analyst/articles (written for these tests; the people quoted are fictional) with
two aliases added by hand. What it contains, and the tests rely on:

* GLM-4.5 released by Zhipu AI, reported by two outlets (Harbor Tech Daily 07-28, Open Model
  Report 07-29): the one corroborated fact;
* Wan 2.2 released by Alibaba, reported twice by the *same* outlet (Open Model Report 07-29 and
  08-08): two articles, one source;
* OpenAI plans GPT-5 (08-01) and released gpt-oss-120b (08-06); Meta develops Llama (08-08);
* three affiliations and six statements by Mara Lindqvist, Tomas Berg and Dana Whitfield.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from kg import queries as q
from kg.cli import app

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

FIXTURES = Path(__file__).parent / "fixtures" / "analyst"
GRAPH = FIXTURES / "graph.jsonl"
ARTICLES = FIXTURES / "articles"
runner = CliRunner()

HARBOR_GLM = "Zhipu AI puts GLM-4.5 on the open shelf"
OMR_GLM = "GLM-4.5 lands with permissive weights"
HARBOR_GPT5 = "OpenAI readies GPT-5"
OMR_OSS = "OpenAI opens up with gpt-oss-120b"
OMR_WAN = "Alibaba's Wan 2.2 finds an audience"

REQUIRED_QUERIES = {
    "releases-by-organization",
    "models-by-status",
    "statements-about",
    "statements-by-person",
    "corroborated-claims",
    "single-source-claims",
    "entity-timeline",
    "affiliations",
    "co-mentioned",
    "shortest-connection",
    "changes-between",
}


# -- the library itself (no database) ---------------------------------------------------------


def test_shipped_library_parses_and_documents_every_query() -> None:
    library = q.load_library()
    assert REQUIRED_QUERIES <= set(library)
    for query in library.values():
        assert query.description and len(query.description) > 30, query.name
        assert query.examples, f"{query.name} has no // example:"
        for example in query.examples:
            assert example.startswith(f"kg query {query.name}"), example
        for param in query.params:
            assert param.description, f"{query.name}: parameter {param.name} is undocumented"
        # The header is the contract: exactly the parameters the statement uses.
        assert q.used_parameters(query.cypher) == {p.name for p in query.params}, query.name


def test_examples_bind_with_their_declared_types() -> None:
    import shlex

    for query in q.load_library().values():
        for example in query.examples:
            words = shlex.split(example)
            assignments = [words[i + 1] for i, w in enumerate(words) if w in ("--param", "-p")]
            q.bind(query, q.split_assignments(assignments))  # raises when an example is wrong


def test_header_parsing_types_defaults_and_required() -> None:
    text = """// name: demo
// description: A demo query that shows how headers are read,
//   continued on a second line.
// param: org: string = null — an organization
// param: n: int = 2 -- how many
// param: when: date = 2025-07-01 - since when
// param: ok: bool = true — a flag
// param: names: list[string] = "a,b" — some names
// param: who: string — required, no default
// example: kg query demo --param who=x
MATCH (n) WHERE $org IS NULL OR n.name = $who OR $ok OR n.d > $when OR n.x IN $names
RETURN n LIMIT $n
"""
    query = q.parse_query(text)
    assert query.name == "demo"
    assert query.description.endswith("continued on a second line.")
    params = {p.name: p for p in query.params}
    assert params["org"].default is None and not params["org"].required
    assert params["n"].default == 2 and params["n"].type == "int"
    assert params["when"].default == date(2025, 7, 1)
    assert params["ok"].default is True
    assert params["names"].default == ["a", "b"]
    assert params["who"].required
    assert q.bind(query, {"who": "x"}) == {"org": None, "n": 2, "when": date(2025, 7, 1), "ok": True, "names": ["a", "b"], "who": "x"}
    bound = q.bind(query, {"who": "y", "n": "5", "when": "2024-01-31", "ok": "no", "names": '["p", "q"]'})
    assert bound["n"] == 5 and bound["when"] == date(2024, 1, 31) and bound["ok"] is False and bound["names"] == ["p", "q"]


def test_parameter_references_ignore_comments_and_strings() -> None:
    cypher = (
        "// an entity's header: $h\n"
        "MATCH (a) WHERE a.url STARTS WITH 'https://x' AND a.b = $p // not $q\n"
        "/* nor $r */ RETURN '$s' AS s, \"$u\" AS u, 'it\\'s $w' AS w, a.`$v` AS v, $t"
    )
    assert q.used_parameters(cypher) == {"p", "t"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("// description: no name here at all, so it fails\nRETURN 1", "name"),
        ("// name: x\nRETURN 1", "description"),
        ("// name: x\n// description: uses an undeclared parameter somewhere\nRETURN $nope", "undeclared"),
        ("// name: x\n// description: declares a parameter it never uses at all\n// param: a: int = 1 — a\nRETURN 1", "never uses"),
        ("// name: x\n// description: has a parameter of an unknown type here\n// param: a: money = 1 — a\nRETURN $a", "unknown type"),
        ("// name: x\n// description: has a default of the wrong type for it\n// param: a: int = ten — a\nRETURN $a", "default"),
        ("// name: x\n// description: only a header and no statement after it\n", "no Cypher"),
    ],
)
def test_broken_query_files_are_rejected_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(q.QueryError, match=message):
        q.parse_query(text)


def test_parameters_are_typed_and_errors_name_the_parameter() -> None:
    assert q.parse_value("list[int]", "1, 2,3") == [1, 2, 3]
    assert q.parse_value("list[date]", '["2025-01-01"]') == [date(2025, 1, 1)]
    assert q.parse_value("float", "0.5") == 0.5
    assert q.parse_value("string", " keep spaces ") == " keep spaces "
    with pytest.raises(q.QueryError, match="parameter since: expected an ISO date"):
        q.parse_value("date", "yesterday", name="since")
    with pytest.raises(q.QueryError, match="parameter n: expected an integer"):
        q.parse_value("int", "many", name="n")
    with pytest.raises(q.QueryError, match="expected name=value"):
        q.split_assignments(["novalue"])
    query = q.load_library()["co-mentioned"]
    with pytest.raises(q.QueryError, match="needs --param entity"):
        q.bind(query, {})
    with pytest.raises(q.QueryError, match="has no parameter colour"):
        q.bind(query, {"entity": "x", "colour": "red"})
    with pytest.raises(q.QueryError, match="did you mean co-mentioned"):
        q.get_query("co-mentionned", q.load_library())
    assert q.infer_value("12") == 12 and q.infer_value("2025-01-02") == date(2025, 1, 2) and q.infer_value("x") == "x"


def test_a_library_folder_can_replace_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "mine.cypher").write_text(
        "// name: mine\n// description: my own query kept outside the package\n// example: kg query mine\nRETURN 1 AS one\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["queries", "--library", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "mine" in result.stdout and "releases-by-organization" not in result.stdout


def test_kg_queries_lists_every_query_with_its_description() -> None:
    result = runner.invoke(app, ["queries", "-v"])
    assert result.exit_code == 0, result.output
    for name in REQUIRED_QUERIES:
        assert name in result.stdout
    assert "--param min_sources: int = 2" in result.stdout


def test_usage_errors_are_one_line_and_exit_2() -> None:
    for args, message in (
        (["query", "no-such-query"], "unknown query 'no-such-query'"),
        (["query", "co-mentioned"], "needs --param entity"),
        (["query", "co-mentioned", "-p", "entity=x", "-p", "limit=lots"], "parameter limit: expected an integer"),
        (["query", "changes-between", "-p", "since=2025-13-01", "-p", "until=2025-01-01"], "expected an ISO date"),
        (["query", "co-mentioned", "-p", "entity=x", "-f", "xml"], "unknown --format"),
        (["query"], "give a query NAME"),
        (["query", "affiliations", "--write"], "--write is only for --cypher"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
        assert "Traceback" not in result.output


def test_show_prints_the_statement_with_parameters_bound_not_pasted() -> None:
    result = runner.invoke(app, ["query", "releases-by-organization", "-p", "org=Zhipu' OR 1=1 //", "--show"])
    assert result.exit_code == 0, result.output
    assert "toLower($org)" in result.stdout
    assert "OR 1=1" not in result.stdout.split("// parameters:")[0]


def test_database_down_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    result = runner.invoke(app, ["query", "affiliations"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bolt://127.0.0.1:1" in lines[0] and "kg neo4j start" in lines[0]


# -- against Neo4j ------------------------------------------------------------------------------

_STATE: dict[str, bool] = {}


def load_fixture_graph(driver: Driver, database: str) -> None:
    """Empty the test database and load the analyst fixture document."""
    from kg.neo4j.loader import GraphLoader
    from kg.neo4j.admin import empty_database

    empty_database(driver, database)
    summary = GraphLoader(driver, database).load_lines(GRAPH.read_bytes().splitlines(), str(GRAPH))
    assert summary.problem_count == 0 and summary.articles_created == 5


@pytest.fixture
def analyst_db(neo4j_driver: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> Driver:
    """The fixture graph in the test database (loaded once per module) and the CLI pointed at it."""
    if not _STATE.get("loaded"):
        load_fixture_graph(neo4j_driver, neo4j_settings.database)
        _STATE["loaded"] = True
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    return neo4j_driver


def run_json(name: str, **params: Any) -> list[dict[str, Any]]:
    args = ["query", name, "--format", "json"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def titles(row: dict[str, Any]) -> list[str]:
    return [s["title"] for s in row["sources"]]


def test_every_row_of_every_query_carries_its_sources(analyst_db: Driver) -> None:
    examples = {
        "statements-about": {"entity": "GLM-4.5"},
        "statements-by-person": {"person": "Tomas Berg"},
        "entity-timeline": {"entity": "OpenAI"},
        "co-mentioned": {"entity": "GLM-4.5"},
        "shortest-connection": {"entity": "Tomas Berg", "other": "Alibaba"},
        "changes-between": {"since": "2025-07-01", "until": "2025-08-31"},
        "corroborated-claims": {"min_sources": "1"},
    }
    for name in REQUIRED_QUERIES:
        rows = run_json(name, **examples.get(name, {}))
        assert rows, name
        for row in rows:
            assert row["sources"], (name, row)
            for source in row["sources"]:
                assert source["title"] and source["url"].startswith("https://news.example/") and source["published"], (name, source)


def test_releases_by_organization(analyst_db: Driver) -> None:
    rows = run_json("releases-by-organization")
    assert [(r["organization"], r["model"], r["status"], r["first_reported"], r["outlets"]) for r in rows] == [
        ("Alibaba", "Wan 2.2", "released", "2025-07-29", 1),
        ("OpenAI", "GPT-5", "planned", "2025-08-01", 1),
        ("OpenAI", "gpt-oss-120b", "released", "2025-08-06", 1),
        ("Zhipu AI", "GLM-4.5", "released", "2025-07-28", 2),
    ]
    assert titles(rows[-1]) == [HARBOR_GLM, OMR_GLM]
    assert rows[-1]["sources"][0] == {
        "title": HARBOR_GLM,
        "source": "Harbor Tech Daily",
        "published": "2025-07-28",
        "url": "https://news.example/harbor/zhipu-glm-4-5",
    }
    # Name or alias, any case.
    for org in ("Zhipu AI", "zhipu ai", "Zhipu", "ORG:ZHIPU-AI"):
        assert [r["model"] for r in run_json("releases-by-organization", org=org)] == ["GLM-4.5"], org
    # A date window counts only the reports inside it.
    window = run_json("releases-by-organization", since="2025-07-29", until="2025-07-31")
    assert [(r["model"], r["outlets"], titles(r)) for r in window] == [("Wan 2.2", 1, [OMR_GLM]), ("GLM-4.5", 1, [OMR_GLM])]
    assert [r["model"] for r in run_json("releases-by-organization", status="PLANNED")] == ["GPT-5"]
    assert run_json("releases-by-organization", org="Nobody Inc") == []


def test_models_by_status(analyst_db: Driver) -> None:
    rows = run_json("models-by-status")
    assert [(r["model"], r["status"]) for r in rows] == [
        ("GPT-5", "planned"),
        ("GLM-4.5", "released"),
        ("Wan 2.2", "released"),
        ("gpt-oss-120b", "released"),
    ]
    planned = run_json("models-by-status", status="planned")
    assert planned[0]["organizations"] == ["OpenAI"] and titles(planned[0]) == [HARBOR_GPT5]
    wan = next(r for r in rows if r["model"] == "Wan 2.2")
    assert (wan["first_reported"], wan["last_reported"], titles(wan)) == ("2025-07-29", "2025-08-08", [OMR_GLM, OMR_WAN])
    assert run_json("models-by-status", status="announced") == []


def test_statements_about_an_entity(analyst_db: Driver) -> None:
    rows = run_json("statements-about", entity="glm-4.5")
    assert [(r["speaker"], r["statement"], r["direct_quote"], r["published"], titles(r)) for r in rows] == [
        ("Mara Lindqvist", "GLM-4.5 should feel at home inside coding tools", True, "2025-07-28", [HARBOR_GLM]),
        ("Tomas Berg", "GLM-4.5 narrows the gap with closed models", False, "2025-07-29", [OMR_GLM]),
    ]
    assert [r["speaker"] for r in run_json("statements-about", entity="GPT-5")] == ["Tomas Berg"]
    assert run_json("statements-about", entity="GLM-4.5", since="2025-07-29", until="2025-07-29")[0]["speaker"] == "Tomas Berg"


def test_statements_by_person_across_articles(analyst_db: Driver) -> None:
    rows = run_json("statements-by-person", person="tomas berg")
    assert [(r["published"], r["statement"], r["about"], titles(r)) for r in rows] == [
        ("2025-07-29", "GLM-4.5 narrows the gap with closed models", ["GLM-4.5"], [OMR_GLM]),
        ("2025-08-01", "GPT-5 will be judged on price as much as on benchmarks", ["GPT-5"], [HARBOR_GPT5]),
    ]
    dana = run_json("statements-by-person", person="Dana Whitfield")
    assert [(r["published"], r["direct_quote"]) for r in dana] == [("2025-08-01", False), ("2025-08-06", True)]
    assert [r["published"] for r in run_json("statements-by-person", person="Dana Whitfield", since="2025-08-02")] == ["2025-08-06"]


def test_corroborated_claims_count_independent_outlets(analyst_db: Driver) -> None:
    rows = run_json("corroborated-claims")
    assert [(r["type"], r["subject"], r["object"], r["detail"], r["outlets"], r["articles"]) for r in rows] == [
        ("RELEASED", "Zhipu AI", "GLM-4.5", "released", 2, 2)
    ]
    assert {s["source"] for s in rows[0]["sources"]} == {"Harbor Tech Daily", "Open Model Report"}
    # Two articles of one outlet are not corroboration: Wan 2.2 stays out until the bar is 1.
    released = run_json("corroborated-claims", min_sources=1, type="released")
    assert [(r["object"], r["outlets"], r["articles"]) for r in released] == [
        ("GLM-4.5", 2, 2),
        ("Wan 2.2", 1, 2),
        ("GPT-5", 1, 1),
        ("gpt-oss-120b", 1, 1),
    ]
    assert run_json("corroborated-claims", min_sources=3) == []


def test_single_source_claims(analyst_db: Driver) -> None:
    rows = run_json("single-source-claims", type="RELEASED")
    assert [(r["subject"], r["object"], r["detail"], r["articles"], titles(r)) for r in rows] == [
        ("Alibaba", "Wan 2.2", "released", 2, [OMR_GLM, OMR_WAN]),
        ("OpenAI", "GPT-5", "planned", 1, [HARBOR_GPT5]),
        ("OpenAI", "gpt-oss-120b", "released", 1, [OMR_OSS]),
    ]
    every = run_json("single-source-claims")
    assert len(every) == 13 and {r["type"] for r in every} == {"RELEASED", "DEVELOPS", "SAID", "AFFILIATED_WITH"}
    assert ("Zhipu AI", "GLM-4.5") not in {(r["subject"], r["object"]) for r in every}


def test_entity_timeline(analyst_db: Driver) -> None:
    rows = run_json("entity-timeline", entity="OpenAI Inc.")  # an alias
    assert [(r["published"], r["type"], r["fact"]) for r in rows] == [
        ("2025-08-01", "RELEASED", "OpenAI plans to release GPT-5"),
        ("2025-08-01", "AFFILIATED_WITH", "Dana Whitfield (spokesperson) at OpenAI"),
        ("2025-08-06", "RELEASED", "OpenAI released gpt-oss-120b"),
    ]
    assert rows[0]["evidence"] == "OpenAI is expected to release GPT-5 in August."
    glm = run_json("entity-timeline", entity="GLM-4.5")
    assert [(r["published"], r["type"]) for r in glm] == [
        ("2025-07-28", "RELEASED"),
        ("2025-07-28", "SAID"),
        ("2025-07-29", "RELEASED"),
        ("2025-07-29", "SAID"),
    ]
    assert glm[1]["fact"] == "Mara Lindqvist said: GLM-4.5 should feel at home inside coding tools"
    assert [r["published"] for r in run_json("entity-timeline", entity="GLM-4.5", since="2025-07-29")] == ["2025-07-29", "2025-07-29"]


def test_affiliations(analyst_db: Driver) -> None:
    rows = run_json("affiliations")
    assert [(r["person"], r["role"], r["organization"], r["outlets"]) for r in rows] == [
        ("Tomas Berg", "analyst", "Fjord Insights", 1),
        ("Dana Whitfield", "spokesperson", "OpenAI", 1),
        ("Mara Lindqvist", "head of research", "Zhipu AI", 1),
    ]
    assert [r["person"] for r in run_json("affiliations", org="openai")] == ["Dana Whitfield"]
    assert [r["organization"] for r in run_json("affiliations", person="Lindqvist")] == ["Zhipu AI"]  # alias


def test_affiliations_of_a_person_at_an_organization(analyst_db: Driver) -> None:
    assert [r["role"] for r in run_json("affiliations", person="Mara Lindqvist", org="zhipu")] == ["head of research"]
    assert run_json("affiliations", person="Mara Lindqvist", org="OpenAI") == []


# Entity lookups go through the full-text index: names full of Lucene syntax must neither fail
# nor match loosely (a phrase query only narrows; the exact comparison decides).
@pytest.mark.parametrize(
    "name",
    ['"', "\\", 'Zhipu" OR "OpenAI', "Zhipu AI\\", "Zh*", "(Zhipu)", "-", "", "AND", "Zhipu AI~", "zhipu ai labs"],
)
def test_entity_lookup_takes_any_text_literally(analyst_db: Driver, name: str) -> None:
    assert run_json("releases-by-organization", org=name) == []
    assert run_json("co-mentioned", entity=name) == []
    assert run_json("statements-about", entity=name) == []


def test_co_mentioned(analyst_db: Driver) -> None:
    rows = run_json("co-mentioned", entity="GLM-4.5", type="Organization")
    assert [(r["co_mentioned"], r["articles"]) for r in rows] == [("Zhipu AI", 2), ("Alibaba", 1), ("Fjord Insights", 1)]
    assert titles(rows[0]) == [HARBOR_GLM, OMR_GLM]
    assert [r["co_mentioned"] for r in run_json("co-mentioned", entity="GLM-4.5", limit=2)] == ["Zhipu AI", "Alibaba"]


@pytest.mark.parametrize(
    ("max_articles", "listed"),
    [(0, []), (1, [HARBOR_GLM]), (2, [HARBOR_GLM, OMR_GLM]), (20, [HARBOR_GLM, OMR_GLM])],
)
def test_co_mentioned_lists_the_oldest_shared_articles_and_counts_them_all(
    analyst_db: Driver, max_articles: int, listed: list[str]
) -> None:
    rows = run_json("co-mentioned", entity="GLM-4.5", type="Organization", max_articles=max_articles)
    assert (rows[0]["co_mentioned"], rows[0]["articles"]) == ("Zhipu AI", 2)
    assert titles(rows[0]) == listed


def test_shortest_connection(analyst_db: Driver) -> None:
    rows = run_json("shortest-connection", entity="Tomas Berg", other="alibaba")
    assert len(rows) == 1
    row = rows[0]
    assert row["hops"] == 2
    assert row["path"] == f"Tomas Berg <-MENTIONS- [article: {OMR_GLM}] -MENTIONS-> Alibaba"
    assert row["entities"] == ["Tomas Berg", "Alibaba"] and titles(row) == [OMR_GLM]
    facts = run_json("shortest-connection", entity="Dana Whitfield", other="gpt-oss-120b")[0]
    assert facts["path"] == "Dana Whitfield -AFFILIATED_WITH-> OpenAI -RELEASED-> gpt-oss-120b"
    assert set(titles(facts)) == {HARBOR_GPT5, OMR_OSS}
    assert run_json("shortest-connection", entity="Tomas Berg", other="Alibaba", max_hops=1) == []


def test_changes_between_two_dates(analyst_db: Driver) -> None:
    rows = run_json("changes-between", since="2025-08-01", until="2025-08-07")
    assert [(r["first_reported"], r["type"], r["subject"], r["object"] or r["detail"]) for r in rows] == [
        ("2025-08-01", "AFFILIATED_WITH", "Dana Whitfield", "OpenAI"),
        ("2025-08-01", "RELEASED", "OpenAI", "GPT-5"),
        ("2025-08-01", "SAID", "Dana Whitfield", "the company would share more details soon"),
        ("2025-08-01", "SAID", "Tomas Berg", "GPT-5 will be judged on price as much as on benchmarks"),
        ("2025-08-06", "RELEASED", "OpenAI", "gpt-oss-120b"),
        ("2025-08-06", "SAID", "Dana Whitfield", "Developers asked for weights they can run themselves"),
    ]
    # Wan 2.2 was reported again on 08-08 but first on 07-29: not a change of that window.
    later = run_json("changes-between", since="2025-08-08", until="2025-08-31", type="released")
    assert later == []
    assert [r["object"] for r in run_json("changes-between", since="2025-08-08", until="2025-08-31")] == ["Llama"]


def test_find_entities(analyst_db: Driver) -> None:
    rows = run_json("find-entities", text="openai inc")
    assert [(r["name"], r["type"], r["id"]) for r in rows] == [("OpenAI", "Organization", "org:openai")]
    models = run_json("find-entities", text="g", type="model")
    assert [r["name"] for r in models][:1] == ["GLM-4.5"] and {r["type"] for r in models} == {"Model"}


def test_table_and_csv_output(analyst_db: Driver) -> None:
    table = runner.invoke(app, ["query", "corroborated-claims"])
    assert table.exit_code == 0, table.output
    assert "Zhipu AI" in table.stdout and "GLM-4.5" in table.stdout and "1 row" in table.stdout
    # the outlets column and the article references (wrapped to the table's width)
    assert "Harbor Tech Daily (2025-07-28, 1" in table.stdout and "Open Model Report (2025-07-29, 1" in table.stdout
    assert "Zhipu AI puts GLM-4.5 on the open" in table.stdout
    result = runner.invoke(app, ["query", "affiliations", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["person"] for r in rows] == ["Tomas Berg", "Dana Whitfield", "Mara Lindqvist"]
    assert json.loads(rows[0]["sources"])[0]["title"] == OMR_GLM


def test_parameters_are_bound_so_injection_finds_nothing(analyst_db: Driver) -> None:
    assert run_json("releases-by-organization", org="x') OR true OR ('") == []
    assert run_json("co-mentioned", entity="GLM-4.5' OR 1=1 //") == []


def test_cypher_runs_read_only_unless_write(analyst_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    result = runner.invoke(app, ["query", "--cypher", "CREATE (:ScratchNote {text: $t})", "-p", "t=hello"])
    assert result.exit_code == 1
    assert "stopped by a database error" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    count = "MATCH (n:ScratchNote) RETURN count(n) AS n"
    assert analyst_db.execute_query(count, database_=neo4j_settings.database).records[0]["n"] == 0
    try:
        result = runner.invoke(app, ["query", "--cypher", "CREATE (n:ScratchNote {text: $t}) RETURN n.text AS text", "-p", "t=hello", "--write", "-f", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == [{"text": "hello"}]
        assert analyst_db.execute_query(count, database_=neo4j_settings.database).records[0]["n"] == 1
    finally:
        analyst_db.execute_query("MATCH (n:ScratchNote) DETACH DELETE n", database_=neo4j_settings.database)


def test_cypher_parameters_are_typed_from_their_text(analyst_db: Driver) -> None:
    result = runner.invoke(
        app,
        ["query", "-c", "RETURN $n + 1 AS n, $d.year AS year, $s AS s, $b AS b", "-p", "n=41", "-p", "d=2025-07-28", "-p", "s=Zhipu AI", "-p", "b=true", "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": 42, "year": 2025, "s": "Zhipu AI", "b": True}]
    bad = runner.invoke(app, ["query", "-c", "RETURN nonsense("])
    assert bad.exit_code == 1 and "CypherSyntaxError" in bad.stderr


@pytest.mark.slow
def test_ingest_of_the_fixture_articles_answers_the_same(clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end through spaCy: `kg ingest` of the fixture articles, then the corroboration query."""
    _STATE["loaded"] = False  # clean_db emptied the database the other tests share
    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)
    result = runner.invoke(app, ["ingest", str(ARTICLES)])
    assert result.exit_code == 0, result.output
    rows = run_json("corroborated-claims")
    assert [(r["subject"], r["object"], r["outlets"]) for r in rows] == [("Zhipu AI", "GLM-4.5", 2)]
    assert titles(rows[0]) == [HARBOR_GLM, OMR_GLM]

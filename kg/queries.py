"""The named query library: documented, parameterized ``.cypher`` files, loaded, bound and run.

Each file in ``queries/`` starts with a header of ``//`` comments that is the query's documentation
and its parameter contract (``docs/queries.md``)::

    // name: releases-by-organization
    // description: Models each organization released, plans or announced, with the articles reporting it.
    // param: org: string = null — organization name or alias, case-insensitive; null for all
    // param: min_sources: int = 2 — fewest independent outlets
    // param: entity: string — no default: the parameter is required
    // example: kg query releases-by-organization --param org="Zhipu AI"

Parameter types: ``string``, ``int``, ``float``, ``bool``, ``date`` (ISO ``YYYY-MM-DD``) and
``list[T]`` of those (``list`` alone is ``list[string]``). Values reach Neo4j only as bound
parameters, never as Cypher text. The header is validated against the body: every ``$name`` the
query uses must be declared and every declared parameter used, so the documentation cannot drift.

Running: analyst queries go through ``session.execute_read`` (a read-only transaction the server
enforces) unless the caller asks for a write; results come back as plain Python values
(:func:`plain`), ready for the table / JSON / CSV writers below.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.neo4j.session import quiet_session

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction
    from rich.console import Console

SCALAR_TYPES: tuple[str, ...] = ("string", "int", "float", "bool", "date")
PARAM_TYPES: tuple[str, ...] = SCALAR_TYPES + tuple(f"list[{t}]" for t in SCALAR_TYPES)
OUTPUT_FORMATS: tuple[str, ...] = ("table", "json", "csv")

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER = re.compile(r"^//\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+(?:\[[a-z]+\])?)"
    r"(?:\s*=\s*(?P<default>.*?))?"
    r"(?:\s+(?:—|--|-)\s+(?P<doc>.*))?\s*$"
)
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SOURCE_KEYS = ("title", "source", "published", "url")
_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})


class QueryError(ValueError):
    """A query file, parameter or value that cannot be used; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter. ``required`` means no default was given (not even ``null``)."""

    name: str
    type: str
    default: Any = None
    required: bool = False
    description: str = ""

    def signature(self) -> str:
        """``name: type = default`` as written in the header, for listings and error messages."""
        if self.required:
            return f"{self.name}: {self.type}"
        return f"{self.name}: {self.type} = {_show_default(self.default)}"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A library query: its header documentation plus the Cypher text (comments included)."""

    name: str
    description: str
    cypher: str
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(slots=True)
class QueryResult:
    """Column names and rows of plain Python values."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


# ------------------------------------------------------------------------------------------------
# Parsing the library
# ------------------------------------------------------------------------------------------------


def _show_default(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_show_default(v) for v in value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def parse_value(type_name: str, raw: str, *, name: str = "value") -> Any:
    """Convert the text of a ``--param`` (or a header default) to the declared type.

    Lists take a JSON array (``["a", "b"]``) or comma-separated items (``a,b``).
    """
    if type_name.startswith("list[") or type_name == "list":
        item_type = type_name[5:-1] if type_name.startswith("list[") else "string"
        text = raw.strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except json.JSONDecodeError as exc:
                raise QueryError(f"parameter {name}: {raw!r} is not a JSON list ({exc.msg})") from None
            if not isinstance(items, list):
                raise QueryError(f"parameter {name}: {raw!r} is not a list")
            return [parse_value(item_type, i if isinstance(i, str) else json.dumps(i), name=name) for i in items]
        return [parse_value(item_type, item, name=name) for item in text.split(",") if item.strip()]
    text = raw.strip()
    try:
        if type_name == "string":
            return raw
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
        if type_name == "bool":
            lowered = text.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError
        if type_name == "date":
            return date.fromisoformat(text)
    except ValueError:
        expected = {"date": "an ISO date like 2025-07-28", "bool": "true or false", "int": "an integer", "float": "a number"}.get(type_name, f"a {type_name}")
        raise QueryError(f"parameter {name}: expected {expected}, got {raw!r}") from None
    raise QueryError(f"parameter {name}: unknown type {type_name!r} (use one of {', '.join(PARAM_TYPES)})")


def _normal_type(type_name: str) -> str:
    return "list[string]" if type_name == "list" else type_name


def _parse_param(text: str, where: str) -> Param:
    match = _PARAM.match(text.strip())
    if not match:
        raise QueryError(f"{where}: cannot read parameter line {text!r} (expected `name: type = default — description`)")
    name, type_name = match["name"], _normal_type(match["type"])
    if type_name not in PARAM_TYPES:
        raise QueryError(f"{where}: parameter {name} has unknown type {type_name!r} (use one of {', '.join(PARAM_TYPES)})")
    raw_default = match["default"]
    doc = (match["doc"] or "").strip()
    if raw_default is None:
        return Param(name, type_name, None, True, doc)
    raw_default = raw_default.strip()
    if raw_default == "null":
        return Param(name, type_name, None, False, doc)
    try:
        default = parse_value(type_name, _unquote(raw_default), name=name)
    except QueryError as exc:
        raise QueryError(f"{where}: default of {exc}") from None
    return Param(name, type_name, default, False, doc)


def used_parameters(cypher: str) -> set[str]:
    """Names of the ``$parameters`` a statement uses, outside comments, strings and `quoted` names.

    A small scanner rather than regular expressions: an apostrophe in a comment ("entity's") or a
    ``//`` in a string (``'https://…'``) must not hide what follows.
    """
    names: set[str] = set()
    i, n = 0, len(cypher)
    while i < n:
        char = cypher[i]
        if cypher.startswith("//", i):
            end = cypher.find("\n", i)
            i = n if end < 0 else end
        elif cypher.startswith("/*", i):
            end = cypher.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif char in "'\"`":
            i += 1
            while i < n and cypher[i] != char:
                i += 2 if cypher[i] == "\\" and char != "`" else 1
            i += 1
        elif char == "$":
            match = _PARAM_NAME.match(cypher, i + 1)
            if match:
                names.add(match.group(0))
                i = match.end()
            else:
                i += 1
        else:
            i += 1
    return names


def parse_query(text: str, *, path: Path | None = None, default_name: str | None = None) -> NamedQuery:
    """Read one query file: the leading ``//`` header, then the statement."""
    where = str(path) if path else "query"
    fields: dict[str, str] = {}
    params: list[Param] = []
    examples: list[str] = []
    last_key: str | None = None
    body_lines: list[str] = []
    in_header = True
    for line in text.splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            match = _HEADER.match(stripped)
            if match and match["key"] in {"name", "description", "param", "example"}:
                key, value = match["key"], match["value"].strip()
                last_key = key
                if key == "param":
                    params.append(_parse_param(value, where))
                elif key == "example":
                    examples.append(value)
                else:
                    fields[key] = value
            elif last_key == "description" and stripped[2:].strip():
                fields["description"] += " " + stripped[2:].strip()
            continue
        if in_header and not stripped:
            continue
        in_header = False
        body_lines.append(line)
    name = fields.get("name") or default_name
    if not name or not _NAME.match(name):
        raise QueryError(f"{where}: missing or invalid `// name:` (lower-case letters, digits and '-')")
    if not fields.get("description"):
        raise QueryError(f"{where}: missing `// description:`")
    body = "\n".join(body_lines).strip()
    if not body:
        raise QueryError(f"{where}: no Cypher statement after the header")
    declared = [p.name for p in params]
    duplicates = sorted({n for n in declared if declared.count(n) > 1})
    if duplicates:
        raise QueryError(f"{where}: parameter(s) declared twice: {', '.join(duplicates)}")
    used = used_parameters(body)
    undeclared = sorted(used - set(declared))
    unused = sorted(set(declared) - used)
    if undeclared:
        raise QueryError(f"{where}: uses undeclared parameter(s) {', '.join('$' + n for n in undeclared)}")
    if unused:
        raise QueryError(f"{where}: declares parameter(s) it never uses: {', '.join(unused)}")
    return NamedQuery(name, fields["description"], text, tuple(params), tuple(examples), path)


def load_library(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Every ``*.cypher`` file of the library (default: the shipped ``queries/``), by name."""
    if directory is None:
        from kg.resources import queries_dir

        directory = queries_dir()
    if not directory.is_dir():
        raise QueryError(f"query library {directory} is not a directory")
    library: dict[str, NamedQuery] = {}
    for path in sorted(directory.glob("*.cypher")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read {path}: {exc}") from None
        query = parse_query(text, path=path, default_name=path.stem)
        if query.name in library:
            raise QueryError(f"query name {query.name!r} is used by both {library[query.name].path} and {path}")
        library[query.name] = query
    return library


def get_query(name: str, library: Mapping[str, NamedQuery]) -> NamedQuery:
    """The query called ``name``, or a :class:`QueryError` suggesting close names."""
    if name in library:
        return library[name]
    import difflib

    close = difflib.get_close_matches(name, list(library), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg queries` lists them"
    raise QueryError(f"unknown query {name!r}{hint}")


# ------------------------------------------------------------------------------------------------
# Binding parameters
# ------------------------------------------------------------------------------------------------


def split_assignments(assignments: Iterable[str]) -> dict[str, str]:
    """``["org=Zhipu AI", "since=2025-07-01"]`` -> dict; the first ``=`` separates name and value."""
    values: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"--param {item!r}: expected name=value")
        if name in values:
            raise QueryError(f"--param {name} is given twice")
        values[name] = value
    return values


def bind(query: NamedQuery, raw: Mapping[str, str]) -> dict[str, Any]:
    """Typed parameters for ``query``: given values parsed, defaults filled in, required ones checked."""
    unknown = sorted(set(raw) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (parameters: {known})")
    bound: dict[str, Any] = {}
    for param in query.params:
        if param.name in raw:
            bound[param.name] = parse_value(param.type, raw[param.name], name=param.name)
        elif param.required:
            raise QueryError(
                f"query {query.name} needs --param {param.name}=… ({param.type}{': ' + param.description if param.description else ''})"
            )
        else:
            bound[param.name] = param.default
    return bound


def infer_value(raw: str) -> Any:
    """Type of an ad-hoc ``--cypher`` parameter from its text: int, float, bool, null, date, else string."""
    text = raw.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    for convert in (int, float, date.fromisoformat):
        try:
            return convert(text)
        except ValueError:
            continue
    return raw


# ------------------------------------------------------------------------------------------------
# Running
# ------------------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Driver values to plain Python: temporal types to ``datetime``, nodes/relationships to dicts."""
    from neo4j.graph import Node, Path as GraphPath, Relationship

    if value is None or isinstance(value, str | int | float | bool):
        return value
    to_native = getattr(value, "to_native", None)
    if callable(to_native) and type(value).__module__.startswith("neo4j.time"):
        try:
            return to_native()
        except ValueError:  # out of Python's range (e.g. nanoseconds); keep the ISO text
            return value.iso_format()
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, GraphPath):
        return [plain(node) for node in value.nodes]
    if isinstance(value, Mapping):
        # Neo4j returns map keys sorted; put an article reference's keys in reading order.
        keys = sorted(value, key=lambda k: (_SOURCE_KEYS.index(k) if k in _SOURCE_KEYS else len(_SOURCE_KEYS), k))
        return {str(k): plain(value[k]) for k in keys}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


# ------------------------------------------------------------------------------------------------
# Confinement of ad-hoc Cypher (kg query --cypher)
# ------------------------------------------------------------------------------------------------

# Neo4j Community has no fine-grained roles, so what a read-only transaction still allows but an
# analyst query must not do is refused here, before anything is sent: fetching URLs and files
# (LOAD CSV), ending other sessions' work (TERMINATE TRANSACTIONS), reading the server's
# configuration, users and running queries (SHOW ..., dbms.* procedures), switching to the
# system database (USE), and privilege commands.
_CYPHER_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_CYPHER_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_SAFE_SHOW = r"(?:(?:RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR|ALL)\s+)?(?:INDEX|INDEXES|CONSTRAINT|CONSTRAINTS)\b"
_CONFINED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(r"(?<![.\w$])" + pattern, re.IGNORECASE), reason)  # not a property (n.show) or a $parameter
    for pattern, reason in (
        (r"\bLOAD\s+CSV\b", "LOAD CSV makes the server read files and URLs"),
        (r"\bTERMINATE\s+TRANSACTIONS?\b", "TERMINATE TRANSACTIONS ends other sessions' work"),
        (rf"\bSHOW\s+(?!{_SAFE_SHOW})\w+", "SHOW commands other than SHOW INDEXES / SHOW CONSTRAINTS expose the server's settings, users and running queries"),
        (r"\bdbms\s*\.", "dbms.* procedures and functions administer the server (configuration, queries, security)"),
        (r"\bUSE\s+[A-Za-z]\w*", "USE switches to another database (such as the system database)"),
        (r"\b(?:GRANT|DENY|REVOKE)\b", "privilege commands administer the server"),
        (r"\b(?:CREATE|DROP|ALTER|START|STOP)\s+(?:(?:OR\s+REPLACE|COMPOSITE)\s+)?(?:DATABASE|ALIAS|USER|ROLE|SERVER)\b", "database, user and role commands administer the server"),
        (r"\bapoc\s*\.", "APOC procedures can read files and URLs"),
    )
)


def confinement_problem(cypher: str) -> str | None:
    """Why ``kg query --cypher`` refuses this statement (before sending it), or None.

    String literals and comments are blanked first (a name such as 'SHOW ME' is data) and
    backticks dropped (```dbms`.listConfig`` is still dbms.listConfig)."""
    text = _CYPHER_COMMENT.sub(" ", _CYPHER_STRING.sub("''", cypher)).replace("`", "")
    for pattern, reason in _CONFINED:
        match = pattern.search(text)
        if match is not None:
            return f"refused: {reason}; `kg query` runs analyst queries only (found {' '.join(match.group(0).split())!r})"
    return None


def _work(tx: ManagedTransaction, cypher: str, params: dict[str, Any]) -> QueryResult:
    result = tx.run(cypher, params)
    columns = list(result.keys())
    return QueryResult(columns, [[plain(v) for v in record.values()] for record in result])


def run(driver: Driver, database: str, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
    """Run one statement with bound parameters in a managed transaction: read-only unless ``write``.

    A write attempted in read mode is refused by the server (a ``ClientError``), so a stray
    ``CREATE`` in an analyst query cannot change the graph.
    """
    with quiet_session(driver, database) as session:
        execute: Callable[..., QueryResult] = session.execute_write if write else session.execute_read
        return execute(partial(_work, cypher=cypher, params=dict(params or {})))


#: Library queries that list what ``kg resolve`` stores, with the statement (kg/neo4j/cypher.py)
#: that tells whether an empty answer is because the graph was never resolved.
_NEEDS_RESOLVE: dict[str, str] = {"contradictions": "NO_STORED_CONTRADICTIONS"}


def empty_result_hint(driver: Driver, database: str, name: str) -> str | None:
    """Why the library query ``name`` returned no rows, when the graph can say: a query that lists
    what ``kg resolve`` stores, on a graph never resolved since claims were loaded."""
    if name not in _NEEDS_RESOLVE:
        return None
    from kg.neo4j import cypher

    records, _, _ = driver.execute_query(getattr(cypher, _NEEDS_RESOLVE[name]), database_=database)
    if records and records[0]["unresolved"]:
        return f"{name}: nothing stored yet: run `kg resolve` (it finds what this query lists), then query again"
    return None


def run_named(driver: Driver, database: str, query: NamedQuery, raw: Mapping[str, str] | None = None) -> QueryResult:
    """Bind and run a library query (always read-only)."""
    return run(driver, database, query.cypher, bind(query, raw or {}))


# ------------------------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------------------------


def _iso(value: date | datetime | time) -> str:
    return value.isoformat()


def to_jsonable(value: Any) -> Any:
    """JSON-ready copy of a plain value (dates as ISO strings)."""
    if isinstance(value, date | datetime | time):
        return _iso(value)
    if isinstance(value, Mapping):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def _is_source(value: Any) -> bool:
    return isinstance(value, Mapping) and "title" in value and ("url" in value or "published" in value)


def render_source(source: Mapping[str, Any]) -> str:
    """``Title (Outlet, 2025-07-28) https://…`` — an article reference as one readable line."""
    meta = ", ".join(str(to_jsonable(source[k])) for k in ("source", "published") if source.get(k) not in (None, ""))
    text = str(source.get("title") or source.get("id") or "untitled")
    if meta:
        text += f" ({meta})"
    if source.get("url"):
        text += f" {source['url']}"
    if source.get("syndicated"):
        text += " [syndicated copy]"
    return text


def render_cell(value: Any, *, list_separator: str = "\n") -> str:
    """One cell as text: lists one item a line (table) or joined, article maps as references."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, date | datetime | time):
        return _iso(value)
    if _is_source(value):
        return render_source(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {render_cell(v, list_separator=', ')}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return list_separator.join(render_cell(v, list_separator=", ") for v in value)
    return str(value)


def write_json(result: QueryResult, out: IO[str]) -> None:
    """A JSON array of row objects (dates as ISO strings, sources as objects)."""
    json.dump([to_jsonable(r) for r in result.records()], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(result: QueryResult, out: IO[str]) -> None:
    """CSV with a header; lists of scalars joined by ``; ``, structured cells (sources) as JSON."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        cells = []
        for value in row:
            if isinstance(value, Mapping) or (isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value)):
                cells.append(json.dumps(to_jsonable(value), ensure_ascii=False))
            else:
                cells.append(render_cell(value, list_separator="; "))
        writer.writerow(cells)


def print_table(result: QueryResult, console: Console, *, title: str | None = None) -> None:
    """A terminal table (rich): one line per list item, sources as ``Title (Outlet, date) url``."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=len(result.rows) > 0, title_justify="left")
    for index, column in enumerate(result.columns):
        values = [row[index] for row in result.rows if row[index] is not None]
        numeric = bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in result.rows:
        table.add_row(*(Text(render_cell(v)) for v in row))
    console.print(table)
    console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", style="dim")


def output(result: QueryResult, fmt: str, out: IO[str], console: Console | None = None, *, title: str | None = None) -> None:
    """Write ``result`` as ``table`` (to ``console``), ``json`` or ``csv`` (to ``out``)."""
    if fmt == "json":
        write_json(result, out)
    elif fmt == "csv":
        write_csv(result, out)
    elif fmt == "table":
        if console is None:
            from rich.console import Console as RichConsole

            console = RichConsole(file=out, highlight=False)
        print_table(result, console, title=title)
    else:
        raise QueryError(f"unknown output format {fmt!r} (use one of {', '.join(OUTPUT_FORMATS)})")


def entity_names_in(result: QueryResult) -> list[str]:
    """Every string a result names (top-level cells and lists of strings), in order, without repeats.

    Used by ``kg viz --query`` to scope the picture to the entities a query returns; article
    references (maps) are skipped so titles do not match entities by accident.
    """
    seen: dict[str, None] = {}
    for row in result.rows:
        for value in row:
            items: Sequence[Any] = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, str) and item.strip():
                    seen.setdefault(item, None)
    return list(seen)

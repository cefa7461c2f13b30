"""The managed Neo4j server (kg.neo4j.server), `kg neo4j`, and connection errors against a real server.

Tests marked ``neo4j`` use the session server from conftest.py; the others are plain unit tests of
configuration and process bookkeeping (no network, no Java). Provisioning (Java, Maven, jars) is
tested in test_neo4j_provision.py, instance locations and status in test_neo4j_instances.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from kg.cli import app
from kg.neo4j import admin, instances, server
from kg.neo4j.connection import Neo4jSettings, Neo4jUnavailable, open_driver

runner = CliRunner()
TEST_INSTANCE = "test"  # the managed instance conftest.py starts
EXTERNAL = bool(os.environ.get("NEWSKG_TEST_NEO4J_URI"))


def free_ports(count: int) -> list[int]:
    """Distinct ports nothing listens on (all held open while choosing, so they cannot repeat)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]


# --------------------------------------------------------------------------------------------
# Unit tests: configuration and locations


def parse_conf(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"not key=value: {line!r}"
            settings.setdefault(key, []).append(value)
    return settings


def test_conf_listens_on_loopback_with_small_memory(tmp_path: Path) -> None:
    text = server.render_conf(
        lib_dir=tmp_path / "lib", instance_path=tmp_path / "inst", bolt_port=17687, http_port=17474,
        heap="768m", pagecache="128m",
    )  # fmt: skip
    conf = {key: values[-1] for key, values in parse_conf(text).items()}
    assert conf["server.default_listen_address"] == "127.0.0.1"
    assert conf["server.bolt.listen_address"] == "127.0.0.1:17687"
    assert conf["server.bolt.advertised_address"] == "127.0.0.1:17687"  # what neo4j:// routing hands out
    assert conf["server.http.listen_address"] == "127.0.0.1:17474"
    assert conf["server.https.enabled"] == "false"
    assert conf["server.memory.heap.initial_size"] == conf["server.memory.heap.max_size"] == "768m"
    assert conf["server.memory.pagecache.size"] == "128m"
    assert conf["dbms.usage_report.enabled"] == "false"
    assert conf["dbms.security.auth_enabled"] == "true"
    assert conf["server.directories.lib"] == str(tmp_path / "lib")
    assert conf["server.directories.data"] == str(tmp_path / "inst" / "data")
    assert conf["server.directories.import"] == str(tmp_path / "inst" / "import")
    assert "0.0.0.0" not in text
    assert "-XX:+UseG1GC" in parse_conf(text)["server.jvm.additional"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"heap": "lots"}, "invalid heap size 'lots'"),
        ({"pagecache": "0m"}, "invalid pagecache size"),
        ({"bolt_port": 7474}, "must differ"),
        ({"http_port": 70000}, "invalid http port 70000"),
    ],
)
def test_conf_rejects_bad_values(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"lib_dir": tmp_path, "instance_path": tmp_path, "bolt_port": 7687, "http_port": 7474}
    arguments.update(kwargs)
    with pytest.raises(server.Neo4jServerError, match=message):
        server.render_conf(**arguments)


def test_conf_appends_extra_jvm_flags_after_the_defaults(tmp_path: Path) -> None:
    text = server.render_conf(
        lib_dir=tmp_path, instance_path=tmp_path, bolt_port=1, http_port=2, extra_jvm=["-XX:TieredStopAtLevel=1"]
    )
    flags = parse_conf(text)["server.jvm.additional"]
    assert flags[-1] == "-XX:TieredStopAtLevel=1" and flags[0] == "-XX:+UseG1GC"


def test_class_data_sharing_dumps_once_then_maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """First start dumps to .partial; only a clean stop promotes it; later starts map it."""
    monkeypatch.delenv("NEWSKG_NEO4J_CDS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    home, inst = tmp_path / "home", tmp_path / "inst"
    home.mkdir()
    inst.mkdir()
    (home / ".complete").write_text("x", encoding="utf-8")
    java = server.JavaInfo(executable=Path("/usr/bin/java"), version="17.0.15", major=17)

    (dump,) = server._cds_flags(inst, java, home)
    assert dump.startswith("-XX:ArchiveClassesAtExit=") and dump.endswith(".jsa.partial")
    partial = Path(dump.split("=", 1)[1])
    partial.write_bytes(b"archive")
    server._finish_cds(inst, clean_exit=False)  # killed: a possibly truncated archive is dropped
    assert not partial.exists()

    (dump,) = server._cds_flags(inst, java, home)
    partial.write_bytes(b"archive")
    server._finish_cds(inst, clean_exit=True)
    archive = partial.with_suffix("")
    assert archive.is_file()
    assert server._cds_flags(inst, java, home) == [f"-XX:SharedArchiveFile={archive}"]

    other_java = server.JavaInfo(executable=Path("/usr/bin/java"), version="21.0.4", major=21)
    (dump,) = server._cds_flags(inst, other_java, home)  # another Java build: new archive, old one removed
    assert dump.startswith("-XX:ArchiveClassesAtExit=") and not archive.exists()

    monkeypatch.setenv("NEWSKG_NEO4J_CDS", "0")
    assert server._cds_flags(inst, java, home) == []
    monkeypatch.delenv("NEWSKG_NEO4J_CDS")
    monkeypatch.setenv("CI", "true")  # a one-shot CI start would only pay the first-run cost
    assert server._cds_flags(inst, java, home) == []
    monkeypatch.setenv("NEWSKG_NEO4J_CDS", "1")
    assert server._cds_flags(inst, java, home) != []


# --------------------------------------------------------------------------------------------
# Unit tests: process bookkeeping


def test_a_recycled_pid_is_not_mistaken_for_the_server(private_cache: Path) -> None:
    """A stale pid file naming a live, unrelated process (here: pytest itself) means "not running"."""
    run = server.instance_dir("default") / "run"
    run.mkdir(parents=True)
    (run / "neo4j.pid").write_text(f"{os.getpid()}\n", encoding="ascii")
    assert not server.status("default").running
    assert instances.managed_settings() is None
    assert server.stop("default") is False  # and it must not signal pytest
    assert not (run / "neo4j.pid").exists()


def test_stop_of_a_missing_instance_is_false(private_cache: Path) -> None:
    assert server.stop("nothing-here") is False


# --------------------------------------------------------------------------------------------
# CLI errors without a server


def test_cli_errors_are_one_line_without_traceback(private_cache: Path) -> None:
    result = runner.invoke(app, ["neo4j", "start", "--instance", "../etc"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: invalid instance name '../etc': use 1-40 lower-case letters, digits, '-' or '_'"
    ]
    assert isinstance(result.exception, SystemExit)


def test_cli_start_without_java_names_the_cause(
    private_cache: Path, fake_java: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_java('java version "1.8.0_392"')))
    bolt, http = free_ports(2)
    result = runner.invoke(app, ["neo4j", "start", "--bolt-port", str(bolt), "--http-port", str(http)])
    assert result.exit_code == 1
    assert "Java 1.8.0_392" in result.output and "too old" in result.output
    assert "Traceback" not in result.output
    assert not instances.home_dir().exists(), "nothing may be provisioned before Java is known to work"


def test_cli_status_of_a_stopped_instance_exits_3(private_cache: Path) -> None:
    result = runner.invoke(app, ["neo4j", "status"])
    assert result.exit_code == 3
    assert "'default' is not running" in result.output


# --------------------------------------------------------------------------------------------
# Against the real server


@pytest.mark.neo4j
def test_bolt_answers_cypher(neo4j_driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition, 6 * 7 AS answer",
        database_=neo4j_settings.database,
    )
    assert records[0]["answer"] == 42
    assert records[0]["version"].startswith("5.26.")
    if not EXTERNAL:
        assert records[0]["version"] == server.NEO4J_VERSION
        assert records[0]["edition"] == "community"


@pytest.mark.neo4j
def test_constraints_survive_clean_db(clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    from neo4j.exceptions import ConstraintError

    driver = clean_db
    db = neo4j_settings.database
    driver.execute_query(
        "CREATE CONSTRAINT test_server_org_id IF NOT EXISTS FOR (o:TestServerOrg) REQUIRE o.id IS UNIQUE", database_=db
    )
    driver.execute_query("UNWIND range(1, 250) AS i CREATE (:TestServerOrg {id: i})-[:NEXT]->(:TestServerOther)", database_=db)
    with pytest.raises(ConstraintError):
        driver.execute_query("CREATE (:TestServerOrg {id: 1})", database_=db)

    deleted = admin.empty_database(driver, db, batch_size=100)
    assert deleted == 500
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN count(n) AS nodes", database_=db
    )
    assert records[0]["nodes"] == 0
    names, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=db)
    assert "test_server_org_id" in {r["name"] for r in names}
    driver.execute_query("DROP CONSTRAINT test_server_org_id IF EXISTS", database_=db)


@pytest.mark.neo4j
def test_routing_uri_works_against_a_single_server(neo4j_settings: Neo4jSettings) -> None:
    scheme, rest = neo4j_settings.uri.split("://", 1)
    routing = Neo4jSettings(
        uri=f"neo4j://{rest}", user=neo4j_settings.user, password=neo4j_settings.password, database=neo4j_settings.database
    )
    driver = open_driver(routing)
    try:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_=routing.database, routing_="r")
        assert records[0]["one"] == 1
    finally:
        driver.close()


@pytest.mark.neo4j
def test_managed_server_is_reported_running_by_the_cli(neo4j_settings: Neo4jSettings) -> None:
    """conftest.py runs the managed instance named "test" when NEWSKG_TEST_NEO4J_URI is unset."""
    if EXTERNAL:
        pytest.skip("NEWSKG_TEST_NEO4J_URI points at an external server, not the managed test instance")
    result = runner.invoke(app, ["neo4j", "status", "--instance", TEST_INSTANCE])
    assert result.exit_code == 0, result.output
    assert f"'{TEST_INSTANCE}' is running" in result.output
    assert neo4j_settings.uri in result.output
    assert str(server.status(TEST_INSTANCE).password_file) in result.output
    assert neo4j_settings.password not in result.output  # the file path, never the password


@pytest.mark.neo4j
def test_the_advertised_browser_serves_neo4j_browser(neo4j_settings: Neo4jSettings) -> None:
    """`kg neo4j start` prints "Browser: http://127.0.0.1:PORT": that address serves Neo4j Browser."""
    import urllib.request

    if EXTERNAL:
        pytest.skip("needs the managed test instance")
    info = server.status(TEST_INSTANCE)
    with urllib.request.urlopen(info.http_url + "/", timeout=30) as response:  # the discovery document
        discovery = json.loads(response.read())
    assert discovery["bolt_direct"].endswith(f":{info.bolt_port}")
    with urllib.request.urlopen(info.http_url + "/browser/", timeout=30) as response:
        assert response.status == 200 and response.headers.get_content_type() == "text/html"
        page = response.read().decode("utf-8")
    assert "<title>Neo4j Browser</title>" in page
    script = re.search(r'src="([^"]+\.js)"', page)
    assert script, "the page loads its scripts from the server"
    with urllib.request.urlopen(info.http_url + "/browser/" + script.group(1).lstrip("./"), timeout=30) as response:
        assert response.status == 200 and len(response.read()) > 1000
    # the printed address itself (what a browser sends) lands on the Browser
    request = urllib.request.Request(info.http_url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.url.rstrip("/").endswith("/browser") and "<title>Neo4j Browser</title>" in response.read().decode("utf-8")


@pytest.mark.neo4j
def test_managed_server_cannot_start_on_a_busy_port(neo4j_settings: Neo4jSettings) -> None:
    if EXTERNAL:
        pytest.skip("needs the managed test instance (and its provisioned jars)")
    busy = int(neo4j_settings.uri.rsplit(":", 1)[1])
    with pytest.raises(server.Neo4jServerError, match=f"port {busy} on 127.0.0.1 is already in use"):
        server.start("busy-port-probe", bolt_port=busy, http_port=free_port())
    assert not server.status("busy-port-probe").running


@pytest.mark.neo4j
def test_unreachable_port_is_a_clear_error() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(Neo4jUnavailable) as caught:
        open_driver(Neo4jSettings(uri=uri, user="neo4j", password="irrelevant"))
    assert uri in str(caught.value)
    assert "kg neo4j start" in str(caught.value) and "NEO4J_URI" in str(caught.value)


@pytest.mark.neo4j
def test_wrong_password_is_a_clear_error(neo4j_settings: Neo4jSettings) -> None:
    # A made-up user: wrong passwords for 'neo4j' itself would trigger Neo4j's login lock-out.
    wrong = Neo4jSettings(uri=neo4j_settings.uri, user="not-a-user", password="wrong-password")
    with pytest.raises(Neo4jUnavailable) as caught:
        open_driver(wrong)
    message = str(caught.value)
    assert neo4j_settings.uri in message and "'not-a-user'" in message
    assert "NEO4J_PASSWORD" in message and "wrong-password" not in message


@pytest.mark.neo4j
def test_unknown_database_is_a_clear_error(neo4j_settings: Neo4jSettings) -> None:
    missing = Neo4jSettings(
        uri=neo4j_settings.uri, user=neo4j_settings.user, password=neo4j_settings.password, database="nosuchdb"
    )
    with pytest.raises(Neo4jUnavailable) as caught:
        open_driver(missing)
    assert neo4j_settings.uri in str(caught.value)
    assert "no database 'nosuchdb'" in str(caught.value) and "NEO4J_DATABASE" in str(caught.value)


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("case", "expected"),
    [("closed-port", "cannot reach Neo4j"), ("wrong-password", "refused the credentials"), ("no-database", "no database 'nosuchdb'")],
)
def test_cli_connection_errors_exit_non_zero_without_traceback(
    neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch, case: str, expected: str
) -> None:
    env = {
        "closed-port": (f"bolt://127.0.0.1:{free_port()}", neo4j_settings.user, neo4j_settings.password, "neo4j"),
        "wrong-password": (neo4j_settings.uri, "not-a-user", "wrong-password", neo4j_settings.database),
        "no-database": (neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password, "nosuchdb"),
    }[case]
    for name, value in zip(("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"), env, strict=True):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NEO4J_USERNAME", raising=False)
    result = runner.invoke(app, ["neo4j", "check"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], result.output
    assert env[0] in lines[0]
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.neo4j
def test_cli_check_succeeds_against_the_test_server(neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    result = runner.invoke(app, ["neo4j", "check"])
    assert result.exit_code == 0, result.output
    assert f"answers at {neo4j_settings.uri}" in result.output and "Neo4j 5.26." in result.output


@pytest.mark.neo4j
@pytest.mark.slow
def test_bulk_import_into_a_fresh_instance(
    neo4j_settings: Neo4jSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`neo4j-admin database import full` runs from the Maven jars against a stopped instance."""
    if EXTERNAL:
        pytest.skip("exercises the managed server machinery; NEWSKG_TEST_NEO4J_URI is set")
    monkeypatch.setenv("NEWSKG_NEO4J_CDS", "0")  # a throw-away instance: no class archive to write
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,name,:LABEL\no1,Acme Corp,Organization\np1,Jane Doe,Person\n", encoding="utf-8")
    rels = tmp_path / "rels.csv"
    rels.write_text(":START_ID,:END_ID,:TYPE\np1,o1,WORKS_FOR\n", encoding="utf-8")
    instance = "import-probe"
    bolt, http = free_ports(2)
    try:
        server.prepare(instance, bolt, http)
        result = server.run_admin(
            ["database", "import", "full", f"--nodes={nodes}", f"--relationships={rels}",
             "--overwrite-destination=true", "neo4j"],
            instance,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert "IMPORT DONE" in result.stdout
        info = server.start(instance, bolt, http, quick_jit=True)
        driver = open_driver(info.settings())
        try:
            records, _, _ = driver.execute_query(
                "MATCH (p:Person)-[:WORKS_FOR]->(o:Organization) RETURN p.name AS person, o.name AS org"
            )
        finally:
            driver.close()
        assert [(r["person"], r["org"]) for r in records] == [("Jane Doe", "Acme Corp")]
    finally:
        server.stop(instance)
        shutil.rmtree(server.instance_dir(instance), ignore_errors=True)


def test_a_generated_password_never_reads_as_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    """A random password starting with "-" once made neo4j-admin fail ("Missing required parameter")."""
    if EXTERNAL:
        pytest.skip("exercises the managed server machinery; NEWSKG_TEST_NEO4J_URI is set")
    monkeypatch.setattr(server.secrets, "token_urlsafe", lambda n: "-" + "x" * (n - 1))
    instance = "password-probe"
    bolt, http = free_ports(2)
    try:
        info = server.prepare(instance, bolt, http)
        password = info.password_file.read_text(encoding="utf-8").strip()
        assert not password.startswith("-") and len(password) >= 24
    finally:
        shutil.rmtree(server.instance_dir(instance), ignore_errors=True)

"""Shared pytest fixtures: a real Neo4j server for tests marked ``@pytest.mark.neo4j``.

Where the server comes from, in order:

1. ``NEWSKG_TEST_NEO4J_URI`` (with ``NEWSKG_TEST_NEO4J_USER``, ``NEWSKG_TEST_NEO4J_PASSWORD`` and
   optionally ``NEWSKG_TEST_NEO4J_DATABASE``): an existing server, e.g. ``docker compose up -d``.
   Tests empty its database, so never point this at data you care about.
2. Otherwise the managed instance ``test`` of :mod:`kg.neo4j.server` on ports 17687/17474 (override
   with ``NEWSKG_TEST_NEO4J_BOLT_PORT``/``NEWSKG_TEST_NEO4J_HTTP_PORT``), provisioned on first use
   from Maven Central. It has its own data directory, so the user's ``kg neo4j start`` server is never
   touched. A server started by a test session is stopped when the last concurrent session using
   it ends (each session holds a lease file in the instance's ``sessions/``); set
   ``NEWSKG_TEST_NEO4J_KEEP=1`` to leave it running and save the start-up on the next run. A test
   server started by hand (``kg neo4j start -i test --bolt-port 17687 --http-port 17474``) is left
   running. Concurrent sessions share one database and ``clean_db`` empties it, so for parallel runs
   give each its own ``NEWSKG_HOME`` and ports.

When no server can be had, the tests that need one are skipped with the reason, except when the
``CI`` environment variable is set: there a missing server is a set-up failure and the tests error.

Tests that use ``neo4j_settings``, ``neo4j_driver`` or ``clean_db`` are marked ``neo4j``
automatically, so ``pytest -m "not neo4j"`` always deselects them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from kg.neo4j.connection import DEFAULT_DATABASE, DEFAULT_USER, Neo4jSettings, Neo4jUnavailable, open_driver

if TYPE_CHECKING:
    from neo4j import Driver

TEST_INSTANCE = "test"
TEST_BOLT_PORT = int(os.environ.get("NEWSKG_TEST_NEO4J_BOLT_PORT", "17687"))
TEST_HTTP_PORT = int(os.environ.get("NEWSKG_TEST_NEO4J_HTTP_PORT", "17474"))
STARTED_BY_TESTS = "started-by-tests"
NEO4J_FIXTURES = frozenset({"neo4j_settings", "neo4j_driver", "clean_db"})


def _unavailable(reason: str) -> NoReturn:
    """Skip locally, but fail in CI: a skipped database suite in CI would hide a broken set-up."""
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j test server unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"Neo4j test server unavailable: {reason}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the server, so ``-m "not neo4j"`` deselects it reliably."""
    for item in items:
        if NEO4J_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def neo4j_settings(request: pytest.FixtureRequest) -> Neo4jSettings:
    """Settings of the test server: an external one from the environment, or the managed ``test`` instance."""
    env = os.environ
    uri = env.get("NEWSKG_TEST_NEO4J_URI")
    if uri:
        return Neo4jSettings(
            uri=uri,
            user=env.get("NEWSKG_TEST_NEO4J_USER", DEFAULT_USER),
            password=env.get("NEWSKG_TEST_NEO4J_PASSWORD", ""),
            database=env.get("NEWSKG_TEST_NEO4J_DATABASE", DEFAULT_DATABASE),
        )

    from kg.neo4j import server

    problem: str | None = None
    try:
        with _lease_lock():
            already_running = server.status(TEST_INSTANCE).running
            # quick_jit: C1 only, ~40% less start-up CPU; test queries are small.
            info = server.start(TEST_INSTANCE, bolt_port=TEST_BOLT_PORT, http_port=TEST_HTTP_PORT, quick_jit=True)
            leases = _lease_dir()
            leases.mkdir(exist_ok=True)
            (leases / str(os.getpid())).touch()
            if not already_running:
                (leases / STARTED_BY_TESTS).touch()
    except (server.Neo4jServerError, OSError) as exc:
        problem = str(exc)
    if problem is not None:  # outside the except block: no chained traceback around the one-line cause
        _unavailable(problem)
    request.addfinalizer(_release_test_server)
    return info.settings()


def _lease_dir() -> Path:
    from kg.neo4j import server

    return server.instance_dir(TEST_INSTANCE) / "sessions"


@contextlib.contextmanager
def _lease_lock() -> Iterator[None]:
    """Serialise start, lease and stop across concurrent pytest sessions sharing the test instance."""
    from kg.neo4j.instances import file_lock, instance_dir

    with file_lock(instance_dir(TEST_INSTANCE).parent / f".{TEST_INSTANCE}.sessions.lock"):
        yield


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _release_test_server() -> None:
    """Drop this session's lease; the last session out stops the server if a test session started it."""
    from kg.neo4j import server

    with _lease_lock():
        leases = _lease_dir()
        (leases / str(os.getpid())).unlink(missing_ok=True)
        others = [p for p in leases.iterdir() if p.name.isdigit() and _alive(int(p.name))]
        started_by_tests = (leases / STARTED_BY_TESTS).exists()
        if others or not started_by_tests or os.environ.get("NEWSKG_TEST_NEO4J_KEEP"):
            return
        server.stop(TEST_INSTANCE)
        (leases / STARTED_BY_TESTS).unlink(missing_ok=True)
        for stale in leases.iterdir():
            stale.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    """One open driver for the whole session (opening one per test costs a Bolt handshake each time)."""
    try:
        driver = open_driver(neo4j_settings)
    except Neo4jUnavailable as exc:
        problem = str(exc)
    else:
        problem = None
    if problem is not None:
        _unavailable(problem)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_db(neo4j_driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """An empty database (no nodes or relationships; constraints and indexes are kept) for one test."""
    from kg.neo4j.admin import empty_database

    empty_database(neo4j_driver, neo4j_settings.database)
    return neo4j_driver


# --------------------------------------------------------------------------------------------
# Managed-server unit tests (test_neo4j_server.py, test_neo4j_provision.py, test_neo4j_instances.py)


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty NEWSKG_HOME, so unit tests never see the user's or the test session's instances."""
    monkeypatch.setenv("NEWSKG_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def fake_java(tmp_path: Path) -> Callable[[str], Path]:
    """Make a JAVA_HOME whose bin/java prints the given line to stderr like ``java -version``."""

    def make(version_line: str) -> Path:
        home = tmp_path / f"jdk-{abs(hash(version_line))}"
        (home / "bin").mkdir(parents=True)
        java = home / "bin" / "java"
        java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n", encoding="utf-8")
        java.chmod(0o755)
        return home

    return make


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium the page tests drive (tests/test_viz_*.py); skipped without one, failed on CI."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    message = "no Chromium found (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must install it (see .ci/run)", pytrace=False)
    pytest.skip(message)

"""docker-compose.yml and .env.example: the Docker way to get the same Neo4j as `kg neo4j start`.

No Docker engine is needed: the files are checked structurally, including how compose would
interpolate ``${VAR}`` references from .env.example, so a broken wiring fails here and not on a
user's machine.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.neo4j.server import NEO4J_VERSION

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def service(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]["neo4j"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    """.env.example parsed like compose does, including ${VAR} interpolation of earlier lines."""
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=VALUE: {line!r}"
        values[key.strip()] = interpolate(value.strip(), values)
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable substitution; a missing ``:?`` variable is an error, as in compose."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        value = env.get(name)
        if operator in (":?", "?") and not value:
            raise KeyError(f"{name}: {argument}")
        if operator in (":-", "-") and not value:
            return argument
        return value or ""

    return REFERENCE.sub(replace, text)


def test_service_uses_the_community_lts_image_of_the_managed_server(service: dict[str, Any]) -> None:
    major_minor = ".".join(NEO4J_VERSION.split(".")[:2])
    assert service["image"] == f"neo4j:{major_minor}-community"


def test_ports_publish_http_and_bolt_on_loopback(service: dict[str, Any], env_example: dict[str, str]) -> None:
    published = [interpolate(port, env_example) for port in service["ports"]]
    assert sorted(published) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]
    uri_port = int(env_example["NEO4J_URI"].rsplit(":", 1)[1])
    assert f"127.0.0.1:{uri_port}:7687" in published, "NEO4J_URI must point at the published Bolt port"


def test_auth_comes_from_env_file_and_fails_without_it(service: dict[str, Any], env_example: dict[str, str]) -> None:
    auth = service["environment"]["NEO4J_AUTH"]
    assert interpolate(auth, env_example) == f"neo4j/{env_example['NEO4J_PASSWORD']}"
    assert env_example["NEO4J_USER"] == "neo4j"
    assert len(env_example["NEO4J_PASSWORD"]) >= 8, "Neo4j 5 rejects passwords shorter than 8 characters"
    with pytest.raises(KeyError, match="NEO4J_AUTH"):
        interpolate(auth, {})  # no .env: compose must refuse instead of starting without a password


def test_only_known_neo4j_variables_reach_the_container(service: dict[str, Any]) -> None:
    """The image turns NEO4J_* variables into settings; NEO4J_PASSWORD would be an unknown setting."""
    names = set(service["environment"])
    assert "NEO4J_PASSWORD" not in names
    assert "env_file" not in service, "env_file would pass NEO4J_PASSWORD/NEO4J_URI into the container"
    settings = {
        name.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".").replace("\0", "_")
        for name in names - {"NEO4J_AUTH"}
    }
    assert settings == {
        "server.memory.heap.initial_size",
        "server.memory.heap.max_size",
        "server.memory.pagecache.size",
        "dbms.usage_report.enabled",
    }


def test_memory_is_bounded(service: dict[str, Any], env_example: dict[str, str]) -> None:
    env = {name: interpolate(str(value), env_example) for name, value in service["environment"].items()}
    assert env["NEO4J_server_memory_heap_max__size"] == env["NEO4J_server_memory_heap_initial__size"] == "1g"
    assert env["NEO4J_server_memory_pagecache_size"] == "512m"
    assert interpolate(service["environment"]["NEO4J_server_memory_heap_max__size"], {}) == "1g"  # default


def test_data_lives_in_a_named_volume(compose: dict[str, Any], service: dict[str, Any]) -> None:
    mounts = dict(volume.split(":", 1)[::-1] for volume in service["volumes"])
    assert "/data" in mounts
    assert mounts["/data"] in compose["volumes"], "the /data volume must be a declared named volume"


def test_healthcheck_probes_the_http_endpoint(service: dict[str, Any]) -> None:
    check = service["healthcheck"]
    command = " ".join(check["test"])
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert "7474" in command
    for key in ("interval", "timeout", "retries", "start_period"):
        assert key in check


def test_env_file_is_git_ignored() -> None:
    ignored = {line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()}
    assert ".env" in ignored


def test_every_required_compose_variable_is_in_the_example(env_example: dict[str, str]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    required = {m.group(1) for m in REFERENCE.finditer(text) if m.group(2) in (":?", "?", None)}
    assert required, "compose should require at least NEO4J_AUTH"
    assert required <= set(env_example), f"missing from .env.example: {sorted(required - set(env_example))}"

"""Where managed instances live and whether they run (kg.neo4j.instances): files and /proc only."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.neo4j import instances


def test_cache_location_follows_newskg_home(private_cache: Path) -> None:
    assert instances.home_dir() == private_cache / "neo4j" / instances.NEO4J_VERSION
    assert instances.instance_dir("test") == private_cache / "neo4j" / "instances" / "test"


@pytest.mark.parametrize("name", ["", "../etc", "Test", "a b", "x" * 41])
def test_instance_names_cannot_escape_the_cache(name: str) -> None:
    with pytest.raises(instances.Neo4jServerError, match="invalid instance name"):
        instances.instance_dir(name)


def test_status_of_a_never_started_instance(private_cache: Path) -> None:
    info = instances.status("default")
    assert not info.running and info.pid is None
    assert (info.bolt_port, info.http_port) == (7687, 7474)
    assert instances.managed_settings() is None

"""Provisioning the managed server (kg.neo4j.provision): Java detection, the Maven bootstrap, the
server pom and the Browser jar. Unit tests: no network, no real Java or Maven."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest

from kg.neo4j import instances, provision


# --------------------------------------------------------------------------------------------
# Unit tests: Java detection


@pytest.mark.parametrize(
    ("output", "version", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', "17.0.15", 17),
        ('openjdk version "21" 2023-09-19', "21", 21),
        ('java version "1.8.0_392"', "1.8.0_392", 8),
        ('openjdk version "25.0.1" 2025-10-21 LTS', "25.0.1", 25),
        ('Picked up JAVA_TOOL_OPTIONS: -Xss2m\nopenjdk version "11.0.22" 2024-01-16', "11.0.22", 11),
    ],
)
def test_parse_java_version(output: str, version: str, major: int) -> None:
    assert provision.parse_java_version(output) == (version, major)


def test_parse_java_version_rejects_garbage() -> None:
    with pytest.raises(instances.Neo4jServerError, match="cannot read the Java version"):
        provision.parse_java_version("command not found")


def test_find_java_honours_java_home(fake_java: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_java('openjdk version "21.0.4" 2024-07-16')))
    java = provision.find_java()
    assert (java.major, java.version, java.supported) == (21, "21.0.4", True)
    assert java.java_home == Path(os.environ["JAVA_HOME"]).resolve()


def test_find_java_refuses_an_old_java(fake_java: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_java('openjdk version "11.0.22" 2024-01-16')))
    with pytest.raises(instances.Neo4jServerError, match=r"Java 11\.0\.22 .*JAVA_HOME=.* too old; Neo4j 5\.26 needs Java 17 or 21"):
        provision.find_java()


def test_find_java_accepts_newer_java_as_unsupported(fake_java: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_java('openjdk version "25.0.1" 2025-10-21 LTS')))
    java = provision.find_java()
    assert java.major == 25 and not java.supported


def test_find_java_explains_a_missing_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(instances.Neo4jServerError, match=r"no `java` found .*Java 17 or 21.*docker compose"):
        provision.find_java()
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(instances.Neo4jServerError, match=r"JAVA_HOME=.*nowhere has no bin/java"):
        provision.find_java()


def test_server_pom_ships_in_the_package_and_follows_the_pinned_version() -> None:
    pom = ET.fromstring(resources.files("kg.neo4j").joinpath("server-pom.xml").read_bytes())
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    deps = {
        (d.findtext("m:groupId", namespaces=ns), d.findtext("m:artifactId", namespaces=ns)): d.findtext("m:version", namespaces=ns)
        for d in pom.iterfind("m:dependencies/m:dependency", ns)
    }
    assert deps[("org.neo4j.app", "neo4j-server")] == "${neo4j.version}"
    assert deps[("org.neo4j", "neo4j-bootcheck")] == "${neo4j.version}"
    assert deps[("org.neo4j.client", "neo4j-browser")] == "${neo4j-browser.version}"
    assert pom.findtext("m:properties/m:neo4j-browser.version", namespaces=ns) == provision.BROWSER_VERSION
    assert instances.NEO4J_VERSION.startswith("5.26.")


def test_a_lib_provisioned_before_the_browser_gets_just_its_jar(
    private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The jar cache may be shared by running servers: only the Browser jar is added, nothing replaced."""
    home = instances.home_dir()
    lib = home / "lib"
    lib.mkdir(parents=True)
    (lib / f"neo4j-server-{instances.NEO4J_VERSION}.jar").write_bytes(b"server")
    (home / ".complete").write_text(instances.NEO4J_VERSION, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    mvn = bin_dir / "mvn"  # a stand-in for Maven: records its arguments, "downloads" the jar
    mvn.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {calls}\n'
        'for a in "$@"; do case "$a" in -DoutputDirectory=*) d="${a#-DoutputDirectory=}";; esac; done\n'
        f'printf browser > "$d/neo4j-browser-{provision.BROWSER_VERSION}.jar"\n',
        encoding="utf-8",
    )
    mvn.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    before = (lib / f"neo4j-server-{instances.NEO4J_VERSION}.jar").stat().st_ino
    assert provision.provision() == home
    assert provision.browser_jar().read_bytes() == b"browser"
    assert (lib / f"neo4j-server-{instances.NEO4J_VERSION}.jar").stat().st_ino == before
    assert f"-Dartifact=org.neo4j.client:neo4j-browser:{provision.BROWSER_VERSION}:jar" in calls.read_text(encoding="utf-8")
    provision.provision()  # present: Maven is not asked again
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 1
    assert sorted(p.name for p in home.iterdir()) == [".complete", "lib"], "no temporary directory left behind"


# --------------------------------------------------------------------------------------------
# Unit tests: bootstrapping Maven (served from local files instead of Maven Central)


@pytest.fixture
def maven_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Make ``_download`` serve a fake apache-maven tarball and its sha512 from memory."""
    buffer = io.BytesIO()
    script = b"#!/bin/sh\necho fake maven\n"
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo(f"apache-maven-{provision.MAVEN_VERSION}/bin/mvn")
        info.size, info.mode = len(script), 0o755
        tar.addfile(info, io.BytesIO(script))
    archive = buffer.getvalue()
    files = {"bin.tar.gz": archive, "bin.tar.gz.sha512": (hashlib.sha512(archive).hexdigest() + "\n").encode()}
    requested: list[str] = []

    def download(url: str, target: Path) -> None:
        requested.append(url)
        suffix = "bin.tar.gz.sha512" if url.endswith(".sha512") else "bin.tar.gz"
        target.write_bytes(files[suffix])

    monkeypatch.setattr(provision, "_download", download)
    yield files
    assert all(url.startswith(provision.MAVEN_CENTRAL + "/org/apache/maven/apache-maven/") for url in requested)


def test_bootstrap_maven_installs_a_verified_release(private_cache: Path, maven_release: dict[str, bytes]) -> None:
    mvn = provision.bootstrap_maven()
    assert mvn == private_cache / "maven" / f"apache-maven-{provision.MAVEN_VERSION}" / "bin" / "mvn"
    assert mvn.stat().st_mode & stat.S_IXUSR
    assert provision.bootstrap_maven() == mvn  # cached: no second download


def test_bootstrap_maven_rejects_a_bad_checksum(private_cache: Path, maven_release: dict[str, bytes]) -> None:
    maven_release["bin.tar.gz.sha512"] = b"0" * 128
    with pytest.raises(instances.Neo4jServerError, match="failed its sha512 check"):
        provision.bootstrap_maven()
    assert not (private_cache / "maven" / f"apache-maven-{provision.MAVEN_VERSION}").exists()


def test_find_maven_bootstraps_only_without_mvn(
    private_cache: Path, maven_release: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert provision.find_maven() == provision.bootstrap_maven()

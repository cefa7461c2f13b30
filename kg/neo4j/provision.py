"""Provisioning the managed Neo4j server: a Java to run it, Maven to fetch it, its jars and the Browser.

Neo4j's distribution tarball is not on Maven Central, but the jars it is assembled from are:
``server-pom.xml`` (shipped next to this module) lists ``org.neo4j.app:neo4j-server`` and the
launcher, and ``mvn dependency:copy-dependencies`` fills ``<cache>/neo4j/<version>/lib/`` exactly
like the tarball's, once per version. Maven itself is bootstrapped from Maven Central when ``mvn``
is not installed.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.neo4j.instances import NEO4J_VERSION, Neo4jServerError, cache_dir, file_lock, home_dir

BROWSER_VERSION: Final = "5.24.0"
"""Neo4j Browser (``org.neo4j.client:neo4j-browser``): the newest on Maven Central (the 5.26
tarball bundles a later build that is not published there); the server serves it at ``/browser/``."""
BROWSER_ARTIFACT: Final = "org.neo4j.client:neo4j-browser"

MAVEN_VERSION: Final = "3.9.11"
MAVEN_CENTRAL: Final = "https://repo.maven.apache.org/maven2"
SUPPORTED_JAVA: Final = (17, 21)

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class JavaInfo:
    """The Java runtime that will run Neo4j."""

    executable: Path
    version: str
    major: int

    @property
    def supported(self) -> bool:
        """Neo4j 5.26 is supported on Java 17 and 21; newer majors run but Neo4j warns."""
        return self.major in SUPPORTED_JAVA

    @property
    def java_home(self) -> Path:
        return self.executable.resolve().parent.parent


# --------------------------------------------------------------------------------------------
# Java


def parse_java_version(output: str) -> tuple[str, int]:
    """Version string and major number from ``java -version`` output (``1.8.0_392`` is major 8)."""
    match = re.search(r'version "([^"]+)"', output)
    if not match:
        raise Neo4jServerError(f"cannot read the Java version from: {output.strip()[:200]!r}")
    version = match.group(1)
    numbers = re.findall(r"\d+", version)
    if not numbers:
        raise Neo4jServerError(f"cannot read the Java version from {version!r}")
    major = int(numbers[0])
    if major == 1 and len(numbers) > 1:
        major = int(numbers[1])
    return version, major


def find_java() -> JavaInfo:
    """The Java that runs Neo4j: ``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else ``java`` on PATH."""
    install_hint = (
        "Neo4j 5.26 needs Java 17 or 21: install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) "
        "and put it on PATH or set JAVA_HOME, or run Neo4j with `docker compose up -d`"
    )
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        executable = Path(java_home) / "bin" / "java"
        if not executable.is_file():
            raise Neo4jServerError(f"JAVA_HOME={java_home} has no bin/java; {install_hint}")
        origin = f"JAVA_HOME={java_home}"
    else:
        found = shutil.which("java")
        if not found:
            raise Neo4jServerError(f"no `java` found (JAVA_HOME unset, none on PATH); {install_hint}")
        executable = Path(found)
        origin = f"{found} (from PATH)"
    try:
        result = subprocess.run(
            [str(executable), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Neo4jServerError(f"cannot run Java at {origin}: {exc}") from None
    version, major = parse_java_version(result.stderr + result.stdout)
    if major < SUPPORTED_JAVA[0]:
        raise Neo4jServerError(f"Java {version} at {origin} is too old; {install_hint}")
    return JavaInfo(executable=executable, version=version, major=major)


# --------------------------------------------------------------------------------------------
# Provisioning


def _download(url: str, target: Path) -> None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        raise Neo4jServerError(f"cannot download {url}: {exc}") from None


def bootstrap_maven(progress: Progress | None = None, version: str = MAVEN_VERSION) -> Path:
    """Install Apache Maven's binary release from Maven Central into the cache (sha512-verified)."""
    target = cache_dir() / "maven" / f"apache-maven-{version}"
    mvn = target / "bin" / "mvn"
    if mvn.is_file():
        return mvn
    with file_lock(cache_dir() / "maven" / ".lock"):
        if mvn.is_file():
            return mvn
        name = f"apache-maven-{version}-bin.tar.gz"
        url = f"{MAVEN_CENTRAL}/org/apache/maven/apache-maven/{version}/{name}"
        if progress:
            progress(f"mvn not found; downloading Apache Maven {version} from Maven Central")
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            archive = Path(tmp) / name
            _download(url, archive)
            _download(url + ".sha512", Path(tmp) / "sha512")
            expected = (Path(tmp) / "sha512").read_text(encoding="ascii").split()[0].lower()
            actual = hashlib.sha512(archive.read_bytes()).hexdigest()
            if actual != expected:
                raise Neo4jServerError(f"{url} failed its sha512 check (expected {expected[:16]}…, got {actual[:16]}…)")
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            os.replace(Path(tmp) / f"apache-maven-{version}", target)
    return mvn


def find_maven(progress: Progress | None = None) -> Path:
    """``mvn`` from PATH, or a cached bootstrap of Apache Maven when none is installed."""
    found = shutil.which("mvn")
    return Path(found) if found else bootstrap_maven(progress)


def is_provisioned(version: str = NEO4J_VERSION) -> bool:
    home = home_dir(version)
    return (home / ".complete").is_file() and (home / "lib" / f"neo4j-server-{version}.jar").is_file()


def browser_jar(version: str = NEO4J_VERSION) -> Path:
    return home_dir(version) / "lib" / f"neo4j-browser-{BROWSER_VERSION}.jar"


def provision_browser(version: str = NEO4J_VERSION, progress: Progress | None = None) -> Path:
    """Add the Neo4j Browser jar to an already provisioned ``lib/`` (a cache filled before the
    Browser was part of the server pom), without touching the other jars: running servers of other
    instances keep theirs. Returns the jar."""
    target = browser_jar(version)
    if target.is_file():
        return target
    home = home_dir(version)
    with file_lock(home.parent / f".{version}.lock"):
        if target.is_file():
            return target
        java = find_java()
        mvn = find_maven(progress)
        if progress:
            progress(f"adding Neo4j Browser {BROWSER_VERSION} from Maven Central to {home / 'lib'} (~15 MB, once)")
        with tempfile.TemporaryDirectory(dir=home) as tmp:
            command = [
                str(mvn), "-q", "-B", "dependency:copy", f"-Dartifact={BROWSER_ARTIFACT}:{BROWSER_VERSION}:jar",
                f"-DoutputDirectory={tmp}",
            ]  # fmt: skip
            env = dict(os.environ, JAVA_HOME=str(java.java_home))
            try:
                result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=900, cwd=tmp)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise Neo4jServerError(f"Maven failed to fetch Neo4j Browser {BROWSER_VERSION}: {exc}") from None
            fetched = Path(tmp) / target.name
            if result.returncode != 0 or not fetched.is_file():
                tail = " | ".join((result.stdout + result.stderr).strip().splitlines()[-6:])
                raise Neo4jServerError(f"Maven failed to fetch Neo4j Browser {BROWSER_VERSION} (exit {result.returncode}): {tail}")
            os.replace(fetched, target)  # one rename: a server starting now sees the whole jar or none
    return target


def provision(version: str = NEO4J_VERSION, progress: Progress | None = None) -> Path:
    """Fill ``<home>/lib`` with the server's jars from Maven Central once; return the home directory.

    A ``lib/`` provisioned before Neo4j Browser joined the pom gets just the Browser jar added."""
    home = home_dir(version)
    if is_provisioned(version):
        provision_browser(version, progress)
        return home
    with file_lock(home.parent / f".{version}.lock"):
        if is_provisioned(version):
            return home
        java = find_java()
        mvn = find_maven(progress)
        if progress:
            progress(f"provisioning Neo4j {version} Community from Maven Central into {home} (~125 MB, first time only)")
        home.mkdir(parents=True, exist_ok=True)
        partial = home / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        pom = home / "server-pom.xml"
        pom.write_bytes(importlib.resources.files("kg.neo4j").joinpath("server-pom.xml").read_bytes())
        command = [
            str(mvn), "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
            f"-DoutputDirectory={partial}", f"-Dneo4j.version={version}", f"-Dneo4j-browser.version={BROWSER_VERSION}",
            "-DincludeScope=runtime",
        ]  # fmt: skip
        env = dict(os.environ, JAVA_HOME=str(java.java_home))
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Neo4jServerError(f"Maven failed to fetch the Neo4j {version} jars: {exc}") from None
        if result.returncode != 0:
            tail = " | ".join((result.stdout + result.stderr).strip().splitlines()[-6:])
            raise Neo4jServerError(f"Maven failed to fetch the Neo4j {version} jars (exit {result.returncode}): {tail}")
        if not (partial / f"neo4j-server-{version}.jar").is_file():
            raise Neo4jServerError(f"Maven ran but {partial} has no neo4j-server-{version}.jar")
        shutil.rmtree(home / "lib", ignore_errors=True)
        os.replace(partial, home / "lib")
        (home / ".complete").write_text(version + "\n", encoding="utf-8")
    return home

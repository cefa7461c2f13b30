"""A real Neo4j 5.26 LTS Community server for users, tests and CI without Docker.

Neo4j's distribution tarball is not on Maven Central, but the jars it is assembled from are, so the
server is assembled from them: ``server-pom.xml`` (shipped next to this module) lists
``org.neo4j.app:neo4j-server`` and the launcher, and ``mvn dependency:copy-dependencies`` fills a
``lib/`` directory exactly like the tarball's. Maven itself is bootstrapped from Maven Central when
``mvn`` is not installed. Everything lives in a per-user cache (``$NEWSKG_HOME``, default
``$XDG_CACHE_HOME/newskg`` or ``~/.cache/newskg``)::

    neo4j/<version>/lib/              jars, shared by all instances (provisioned once)
    neo4j/instances/<name>/           one server: conf/, data/, logs/, run/, import/, password (0600)
    maven/apache-maven-<v>/           only when mvn had to be bootstrapped

Instances are separate data directories with their own ports, so the test instance (``test``) never
touches the user's server (``default``). The server is launched the way ``bin/neo4j start`` does it,
through ``org.neo4j.server.startup.Neo4jBoot``; ``neo4j-admin`` commands (e.g.
``database import full`` on a stopped instance) run through ``Neo4jAdminBoot``, see :func:`run_admin`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.resources
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kg.neo4j.connection import DEFAULT_DATABASE, DEFAULT_USER, Neo4jSettings

if TYPE_CHECKING:
    from neo4j import Driver

NEO4J_VERSION: Final = "5.26.30"
"""The one pinned Neo4j version: the newest 5.26 LTS patch on Maven Central that runs on Java 17."""

BROWSER_VERSION: Final = "5.24.0"
"""Neo4j Browser (``org.neo4j.client:neo4j-browser``): the newest on Maven Central (the 5.26
tarball bundles a later build that is not published there); the server serves it at ``/browser/``."""
BROWSER_ARTIFACT: Final = "org.neo4j.client:neo4j-browser"

MAVEN_VERSION: Final = "3.9.11"
MAVEN_CENTRAL: Final = "https://repo.maven.apache.org/maven2"
SUPPORTED_JAVA: Final = (17, 21)
DEFAULT_INSTANCE: Final = "default"
DEFAULT_BOLT_PORT: Final = 7687
DEFAULT_HTTP_PORT: Final = 7474
DEFAULT_HEAP: Final = "512m"
DEFAULT_PAGECACHE: Final = "256m"
START_TIMEOUT: Final = 180.0
STOP_GRACE: Final = 120.0  # as Neo4j's own NEO4J_SHUTDOWN_TIMEOUT; the first stop also writes the CDS archive

_BOOT_MAIN: Final = "org.neo4j.server.startup.Neo4jBoot"
_ADMIN_MAIN: Final = "org.neo4j.server.startup.Neo4jAdminBoot"
_SERVER_MAIN: Final = "org.neo4j.server.CommunityEntryPoint"
_INSTANCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_MEMORY = re.compile(r"^[1-9][0-9]*[kmg]$", re.IGNORECASE)

# The JVM flags of the neo4j.conf that ships in the 5.x tarball, minus -XX:+AlwaysPreTouch (which
# would commit the whole heap up front: wasteful for a small local server).
_JVM_ADDITIONAL: Final = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)

Progress = Callable[[str], None]


class Neo4jServerError(RuntimeError):
    """The managed server cannot be provisioned, started or stopped; the message names the cause."""


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


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """Where a managed instance lives and whether it runs. Holds no password, only its file."""

    instance: str
    version: str
    instance_dir: Path
    bolt_port: int
    http_port: int
    pid: int | None
    running: bool

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def user(self) -> str:
        return DEFAULT_USER

    @property
    def password_file(self) -> Path:
        return self.instance_dir / "password"

    @property
    def log_file(self) -> Path:
        return self.instance_dir / "logs" / "neo4j.log"

    @property
    def import_dir(self) -> Path:
        return self.instance_dir / "import"

    def settings(self) -> Neo4jSettings:
        """Connection settings for this instance, password read from its 0600 file."""
        try:
            password = self.password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise Neo4jServerError(f"cannot read the password of Neo4j instance {self.instance!r}: {exc}") from None
        return Neo4jSettings(uri=self.uri, user=self.user, password=password, database=DEFAULT_DATABASE)


# --------------------------------------------------------------------------------------------
# Locations


def cache_dir() -> Path:
    """The per-user cache root: ``$NEWSKG_HOME``, else ``$XDG_CACHE_HOME/newskg``, else ``~/.cache/newskg``."""
    explicit = os.environ.get("NEWSKG_HOME")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "newskg"


def home_dir(version: str = NEO4J_VERSION) -> Path:
    """The provisioned jars of one Neo4j version (``<home>/lib``), shared by all instances."""
    return cache_dir() / "neo4j" / version


def instance_dir(instance: str = DEFAULT_INSTANCE) -> Path:
    """The data, conf, logs and password of one instance; kept across Neo4j patch upgrades."""
    _check_instance_name(instance)
    return cache_dir() / "neo4j" / "instances" / instance


def _check_instance_name(instance: str) -> None:
    if not _INSTANCE_NAME.match(instance):
        raise Neo4jServerError(
            f"invalid instance name {instance!r}: use 1-40 lower-case letters, digits, '-' or '_'"
        )


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise provisioning and start/stop across processes (parallel test sessions, two shells)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    with _file_lock(cache_dir() / "maven" / ".lock"):
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
    with _file_lock(home.parent / f".{version}.lock"):
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
    with _file_lock(home.parent / f".{version}.lock"):
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


# --------------------------------------------------------------------------------------------
# Configuration


def _check_ports(bolt_port: int, http_port: int) -> None:
    for name, port in (("bolt", bolt_port), ("http", http_port)):
        if not 1 <= port <= 65535:
            raise Neo4jServerError(f"invalid {name} port {port}")
    if bolt_port == http_port:
        raise Neo4jServerError(f"the bolt and http ports must differ (both {bolt_port})")


def render_conf(
    *,
    lib_dir: Path,
    instance_path: Path,
    bolt_port: int,
    http_port: int,
    heap: str = DEFAULT_HEAP,
    pagecache: str = DEFAULT_PAGECACHE,
    extra_jvm: Sequence[str] = (),
) -> str:
    """The neo4j.conf of a managed instance: loopback only, small memory, no usage reports."""
    for name, value in (("heap", heap), ("pagecache", pagecache)):
        if not _MEMORY.match(value):
            raise Neo4jServerError(f"invalid {name} size {value!r}: use a number with k, m or g, e.g. 512m")
    _check_ports(bolt_port, http_port)
    lines = [
        "# Written by newskg (kg/neo4j/server.py) at every start: edits here are overwritten.",
        f"server.directories.lib={lib_dir}",
        f"server.directories.data={instance_path / 'data'}",
        f"server.directories.logs={instance_path / 'logs'}",
        f"server.directories.run={instance_path / 'run'}",
        f"server.directories.import={instance_path / 'import'}",
        f"server.directories.plugins={instance_path / 'plugins'}",
        "",
        "# Loopback only: this server is for the local user, never the network.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        "server.http.enabled=true",
        f"server.http.listen_address=127.0.0.1:{http_port}",
        f"server.http.advertised_address=127.0.0.1:{http_port}",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        "",
        "# Small and fixed, so a laptop or 2-core CI runner keeps room for spaCy and the tests.",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
        f"server.memory.pagecache.size={pagecache}",
        "",
        "dbms.usage_report.enabled=false",
        "",
        "# Bolt's graceful shutdown otherwise idles ~10 s (netty quiet period, connection wait).",
        "internal.server.bolt.connection_shutdown_wait_time=1s",
        "internal.server.bolt.thread_pool_shutdown_wait_time=1s",
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "internal.dbms.bolt.netty_server_shutdown_timeout=2",
        "",
    ]
    lines += [f"server.jvm.additional={flag}" for flag in (*_JVM_ADDITIONAL, *extra_jvm)]
    return "\n".join(lines) + "\n"


def _read_state(path: Path) -> dict[str, object]:
    try:
        data = json.loads((path / "instance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _boot_env(java: JavaInfo, path: Path) -> dict[str, str]:
    env = dict(os.environ, NEO4J_HOME=str(path), NEO4J_CONF=str(path / "conf"), JAVA_HOME=str(java.java_home))
    for name in ("JAVA_OPTS", "HEAP_SIZE", "NEO4J_DEBUG"):  # would override the conf's memory settings
        env.pop(name, None)
    return env


# --------------------------------------------------------------------------------------------
# Process state


def _read_pid(path: Path) -> int | None:
    try:
        return int((path / "run" / "neo4j.pid").read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _is_our_server(pid: int, path: Path) -> bool:
    """True when ``pid`` is alive and is this instance's server (guards against a recycled pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():  # no procfs (macOS): trust the live pid
        return True
    try:
        args = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    homes = {f"--home-dir={path}".encode(), f"--home-dir={path.resolve()}".encode()}
    return _SERVER_MAIN.encode() in args and not homes.isdisjoint(args)


def status(instance: str = DEFAULT_INSTANCE) -> ServerInfo:
    """Whether the instance's server process is alive, with its ports; cheap (files and /proc only)."""
    path = instance_dir(instance)
    state = _read_state(path)
    pid = _read_pid(path)
    running = pid is not None and _is_our_server(pid, path)
    bolt = state.get("bolt_port", DEFAULT_BOLT_PORT)
    http = state.get("http_port", DEFAULT_HTTP_PORT)
    version = state.get("version", NEO4J_VERSION)
    return ServerInfo(
        instance=instance,
        version=str(version),
        instance_dir=path,
        bolt_port=int(bolt) if isinstance(bolt, int) else DEFAULT_BOLT_PORT,
        http_port=int(http) if isinstance(http, int) else DEFAULT_HTTP_PORT,
        pid=pid if running else None,
        running=running,
    )


def managed_settings(instance: str = DEFAULT_INSTANCE) -> Neo4jSettings | None:
    """Settings of the user's running managed server, or None when it is not running.

    Called by :func:`kg.neo4j.connection.resolve_settings` for every command when NEO4J_URI is unset,
    so it only reads files.
    """
    try:
        info = status(instance)
        return info.settings() if info.running else None
    except Neo4jServerError:
        return None


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _log_tail(path: Path, lines: int = 8) -> str:
    for name in ("neo4j.log", "debug.log"):
        try:
            text = (path / "logs" / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        errors = [line for line in text.splitlines() if "ERROR" in line or "Exception" in line]
        chosen = errors[-lines:] or text.splitlines()[-lines:]
        if chosen:
            return " | ".join(line.strip() for line in chosen)
    return "(no log written)"


def _wait_for_bolt(info: ServerInfo, deadline: float) -> None:
    """Poll until Bolt authenticates and runs a query; fail early if the process died."""
    import neo4j
    from neo4j import exceptions as neo4j_errors

    settings = info.settings()
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if info.pid is not None and not _is_our_server(info.pid, info.instance_dir):
            raise Neo4jServerError(
                f"Neo4j instance {info.instance!r} exited during start-up; log {info.log_file}: {_log_tail(info.instance_dir)}"
            )
        try:
            with neo4j.GraphDatabase.driver(
                settings.uri, auth=(settings.user, settings.password), connection_timeout=2.0
            ) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_=settings.database)
                return
        except neo4j_errors.AuthError as exc:
            raise Neo4jServerError(
                f"Neo4j instance {info.instance!r} rejects the password in {info.password_file}: {exc.message}"
            ) from None
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        time.sleep(0.5)
    raise Neo4jServerError(
        f"Neo4j instance {info.instance!r} did not answer on {info.uri} in time ({last_error}); log {info.log_file}"
    )


def _ensure_password(path: Path, java: JavaInfo, lib: Path) -> None:
    """Give a never-started instance a random initial password, kept in a 0600 file, never on argv."""
    password_file = path / "password"
    system_db = path / "data" / "databases" / "system"
    if system_db.exists():
        if not password_file.is_file():
            raise Neo4jServerError(
                f"the password file {password_file} is missing and the initial password can only be set before "
                f"the first start; remove {path} to start over with an empty database"
            )
        return
    if password_file.is_file() and (path / "data" / "dbms" / "auth.ini").is_file():
        return  # set by an earlier prepare(); applied at the first start
    # Never starting with "-": neo4j-admin would read such a password as an option.
    password = "n" + secrets.token_urlsafe(24)
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    # picocli reads arguments from an @file, so the password never appears in `ps` output.
    fd, args_name = tempfile.mkstemp(dir=path / "run", prefix="admin-args-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"dbms\nset-initial-password\n{password}\n")
        result = _run_java(java, lib, _ADMIN_MAIN, [f"@{args_name}"], path, timeout=300)
    finally:
        os.unlink(args_name)
    if result.returncode != 0:
        password_file.unlink(missing_ok=True)
        raise Neo4jServerError(f"neo4j-admin dbms set-initial-password failed: {result.stderr.strip() or result.stdout.strip()}")


def _run_java(
    java: JavaInfo, lib: Path, main: str, args: Sequence[str], path: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    command = [str(java.executable), "-cp", f"{lib}/*", main, *args]
    try:
        return subprocess.run(
            command, capture_output=True, text=True, env=_boot_env(java, path), cwd=path, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise Neo4jServerError(f"{main} {' '.join(args[:2])} did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise Neo4jServerError(f"cannot run {java.executable}: {exc}") from None


def _cds_flags(path: Path, java: JavaInfo, home: Path) -> list[str]:
    """Class-data sharing: the first run dumps the loaded classes at exit, later starts map them.

    Cuts the server's start-up CPU by about a third (measured 15 s -> 10-11 s on 5.26.30/Java 17)
    and its RSS by ~100 MB, at the price of ~5 s more CPU on the first start and writing an ~90 MB
    archive at the first stop. The archive is written under a ``.partial`` name and only renamed by
    a clean :func:`stop`, so a killed server never leaves a truncated archive; the name changes with
    the Neo4j version, the Java build and the jar set, so a stale archive is never used.
    ``NEWSKG_NEO4J_CDS=0``/``1`` forces it off/on; by default it is off when ``CI`` is set, because a
    CI job that starts the server once would only pay the first-run price.
    """
    setting = os.environ.get("NEWSKG_NEO4J_CDS")
    enabled = setting != "0" if setting is not None else not os.environ.get("CI")
    if not enabled:
        return []
    cds = path / "cds"
    cds.mkdir(exist_ok=True)
    stamp = (home / ".complete").stat().st_mtime_ns if (home / ".complete").exists() else 0
    java_tag = re.sub(r"[^A-Za-z0-9._-]", "_", java.version)
    archive = cds / f"neo4j-{NEO4J_VERSION}-java-{java_tag}-{stamp}.jsa"
    for old in cds.iterdir():
        if old != archive:
            old.unlink(missing_ok=True)
    if archive.is_file():
        return [f"-XX:SharedArchiveFile={archive}"]
    return [f"-XX:ArchiveClassesAtExit={archive}.partial"]


def _finish_cds(path: Path, clean_exit: bool) -> None:
    for partial in (path / "cds").glob("*.jsa.partial") if (path / "cds").is_dir() else ():
        if clean_exit and partial.stat().st_size > 0:
            os.replace(partial, partial.with_suffix(""))
        else:
            partial.unlink(missing_ok=True)


def _prepare(
    path: Path,
    bolt_port: int,
    http_port: int,
    heap: str,
    pagecache: str,
    progress: Progress | None,
    quick_jit: bool = False,
) -> tuple[JavaInfo, Path]:
    """Check Java, provision the jars, write conf, state and (once) the initial password."""
    _check_ports(bolt_port, http_port)
    java = find_java()
    if progress and not java.supported:
        progress(f"warning: Java {java.version} is not supported by Neo4j 5.26 (use 17 or 21); trying anyway")
    home = provision(NEO4J_VERSION, progress)
    for sub in ("conf", "data", "logs", "run", "import", "plugins"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    # C1 only: about 40% less start-up CPU, slower long-running queries; meant for test servers.
    extra_jvm = ["-XX:TieredStopAtLevel=1"] if quick_jit else []
    conf = render_conf(
        lib_dir=home / "lib", instance_path=path, bolt_port=bolt_port, http_port=http_port,
        heap=heap, pagecache=pagecache, extra_jvm=[*extra_jvm, *_cds_flags(path, java, home)],
    )  # fmt: skip
    (path / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")
    _ensure_password(path, java, home / "lib")
    state = {"version": NEO4J_VERSION, "bolt_port": bolt_port, "http_port": http_port}
    (path / "instance.json").write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return java, home


# --------------------------------------------------------------------------------------------
# Public operations


def prepare(
    instance: str = DEFAULT_INSTANCE,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    *,
    heap: str = DEFAULT_HEAP,
    pagecache: str = DEFAULT_PAGECACHE,
    progress: Progress | None = None,
) -> ServerInfo:
    """Create (or re-configure) a stopped instance without starting it.

    Lets ``neo4j-admin database import full`` (see :func:`run_admin`) fill the ``neo4j`` database
    before the first start, which is when Neo4j bulk imports are meant to happen.
    """
    path = instance_dir(instance)
    with _file_lock(path.parent / f".{instance}.lock"):
        if status(instance).running:
            raise Neo4jServerError(f"Neo4j instance {instance!r} is running; stop it first (`kg neo4j stop -i {instance}`)")
        _prepare(path, bolt_port, http_port, heap, pagecache, progress)
    return status(instance)


def start(
    instance: str = DEFAULT_INSTANCE,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    *,
    heap: str = DEFAULT_HEAP,
    pagecache: str = DEFAULT_PAGECACHE,
    timeout: float = START_TIMEOUT,
    quick_jit: bool = False,
    progress: Progress | None = None,
) -> ServerInfo:
    """Start the instance in the background (provisioning jars first if needed) and wait until Bolt answers.

    Idempotent: an instance already running on the same ports is returned as is (after it answers).
    ``quick_jit`` limits the JIT to C1, which starts faster but runs heavy queries slower (tests).
    """
    path = instance_dir(instance)
    with _file_lock(path.parent / f".{instance}.lock"):
        current = status(instance)
        if current.running:
            if (current.bolt_port, current.http_port) != (bolt_port, http_port):
                raise Neo4jServerError(
                    f"Neo4j instance {instance!r} is already running on bolt port {current.bolt_port} and http port "
                    f"{current.http_port}; stop it first to use {bolt_port}/{http_port}"
                )
            _wait_for_bolt(current, time.monotonic() + timeout)
            return current

        _check_ports(bolt_port, http_port)
        for port in (bolt_port, http_port):
            if _port_in_use(port):
                raise Neo4jServerError(
                    f"port {port} on 127.0.0.1 is already in use (another Neo4j, docker compose?); "
                    f"choose other ports or stop that server"
                )
        java, home = _prepare(path, bolt_port, http_port, heap, pagecache, progress, quick_jit)
        (path / "run" / "neo4j.pid").unlink(missing_ok=True)

        if progress:
            progress(f"starting Neo4j {NEO4J_VERSION} instance {instance!r} on {bolt_port}/{http_port}")
        deadline = time.monotonic() + timeout
        result = _run_java(java, home / "lib", _BOOT_MAIN, ["start"], path, timeout=timeout)
        pid = _read_pid(path)
        if result.returncode != 0 or pid is None:
            detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-3:]
            raise Neo4jServerError(
                f"Neo4j instance {instance!r} failed to start (exit {result.returncode}): {' | '.join(detail)}; "
                f"log {path / 'logs' / 'neo4j.log'}: {_log_tail(path)}"
            )
        info = ServerInfo(
            instance=instance, version=NEO4J_VERSION, instance_dir=path, bolt_port=bolt_port,
            http_port=http_port, pid=pid, running=True,
        )  # fmt: skip
        _wait_for_bolt(info, deadline)
        return info


def stop(instance: str = DEFAULT_INSTANCE, grace: float = STOP_GRACE) -> bool:
    """Stop the instance (SIGTERM, then SIGKILL after ``grace`` seconds); False if it was not running."""
    path = instance_dir(instance)
    with _file_lock(path.parent / f".{instance}.lock"):
        info = status(instance)
        pid_file = path / "run" / "neo4j.pid"
        if not info.running or info.pid is None:
            pid_file.unlink(missing_ok=True)
            return False
        pid = info.pid
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _is_our_server(pid, path):
            time.sleep(0.2)
        clean_exit = not _is_our_server(pid, path)
        if not clean_exit:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while time.monotonic() < kill_deadline and _is_our_server(pid, path):
                time.sleep(0.1)
        _finish_cds(path, clean_exit)
        pid_file.unlink(missing_ok=True)
        return True


def run_admin(
    args: Sequence[str], instance: str = DEFAULT_INSTANCE, *, timeout: float = 3600.0
) -> subprocess.CompletedProcess[str]:
    """Run ``neo4j-admin <args>`` against an instance, e.g. ``["database", "import", "full", ...]``.

    Offline commands (``database import full``, ``database dump|load``) need the instance stopped;
    relative CSV paths resolve against the instance directory, so pass absolute paths.
    """
    path = instance_dir(instance)
    if not (path / "conf" / "neo4j.conf").is_file():
        raise Neo4jServerError(f"Neo4j instance {instance!r} does not exist yet; run `kg neo4j start` once first")
    java = find_java()
    home = provision(NEO4J_VERSION)
    return _run_java(java, home / "lib", _ADMIN_MAIN, list(args), path, timeout=timeout)


def empty_database(driver: Driver, database: str = DEFAULT_DATABASE, batch_size: int = 10_000) -> int:
    """Delete every node and relationship, keeping constraints and indexes; return the nodes deleted.

    Batched so a large test graph does not need one huge transaction on the small heap.
    """
    with driver.session(database=database) as session:
        summary = session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS", batch=batch_size
        ).consume()
    return summary.counters.nodes_deleted


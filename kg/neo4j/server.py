"""A real Neo4j 5.26 LTS Community server for users, tests and CI without Docker: configure, start, stop.

The jars come from :mod:`kg.neo4j.provision`; where instances live and whether they run, from
:mod:`kg.neo4j.instances`. Everything lives in a per-user cache (``$NEWSKG_HOME``, default
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
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from kg.neo4j import admin_cypher
from kg.neo4j.instances import (
    DEFAULT_BOLT_PORT,
    DEFAULT_HTTP_PORT,
    DEFAULT_INSTANCE,
    NEO4J_VERSION,
    Neo4jServerError,
    ServerInfo,
    file_lock,
    instance_dir,
    is_our_server,
    read_pid,
    status,
)
from kg.neo4j.provision import JavaInfo, Progress, find_java, provision

DEFAULT_HEAP: Final = "512m"
DEFAULT_PAGECACHE: Final = "256m"
START_TIMEOUT: Final = 180.0
STOP_GRACE: Final = 120.0  # as Neo4j's own NEO4J_SHUTDOWN_TIMEOUT; the first stop also writes the CDS archive

_BOOT_MAIN: Final = "org.neo4j.server.startup.Neo4jBoot"
_ADMIN_MAIN: Final = "org.neo4j.server.startup.Neo4jAdminBoot"
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


def _boot_env(java: JavaInfo, path: Path) -> dict[str, str]:
    env = dict(os.environ, NEO4J_HOME=str(path), NEO4J_CONF=str(path / "conf"), JAVA_HOME=str(java.java_home))
    for name in ("JAVA_OPTS", "HEAP_SIZE", "NEO4J_DEBUG"):  # would override the conf's memory settings
        env.pop(name, None)
    return env


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
        if info.pid is not None and not is_our_server(info.pid, info.instance_dir):
            raise Neo4jServerError(
                f"Neo4j instance {info.instance!r} exited during start-up; log {info.log_file}: {_log_tail(info.instance_dir)}"
            )
        try:
            with neo4j.GraphDatabase.driver(
                settings.uri, auth=(settings.user, settings.password), connection_timeout=2.0
            ) as driver:
                driver.verify_connectivity()
                driver.execute_query(admin_cypher.PING, database_=settings.database)
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
    with file_lock(path.parent / f".{instance}.lock"):
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
    with file_lock(path.parent / f".{instance}.lock"):
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
        pid = read_pid(path)
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
    with file_lock(path.parent / f".{instance}.lock"):
        info = status(instance)
        pid_file = path / "run" / "neo4j.pid"
        if not info.running or info.pid is None:
            pid_file.unlink(missing_ok=True)
            return False
        pid = info.pid
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and is_our_server(pid, path):
            time.sleep(0.2)
        clean_exit = not is_our_server(pid, path)
        if not clean_exit:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while time.monotonic() < kill_deadline and is_our_server(pid, path):
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

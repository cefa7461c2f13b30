"""Where the managed Neo4j instances live and whether they run: files and ``/proc`` only.

The lowest layer of the managed server: :mod:`kg.neo4j.connection` reads
:func:`managed_settings` from here (no server code), :mod:`kg.neo4j.provision` fills the jar
cache and :mod:`kg.neo4j.server` starts and stops instances. The cache layout is described in
:mod:`kg.neo4j.server`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.neo4j.settings import DEFAULT_DATABASE, DEFAULT_USER, Neo4jSettings

NEO4J_VERSION: Final = "5.26.30"
"""The one pinned Neo4j version: the newest 5.26 LTS patch on Maven Central that runs on Java 17."""

DEFAULT_INSTANCE: Final = "default"
DEFAULT_BOLT_PORT: Final = 7687
DEFAULT_HTTP_PORT: Final = 7474

#: The main class of a running server's JVM (how its process is recognised).
SERVER_MAIN: Final = "org.neo4j.server.CommunityEntryPoint"
_INSTANCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class Neo4jServerError(RuntimeError):
    """The managed server cannot be provisioned, started or stopped; the message names the cause."""


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
def file_lock(path: Path) -> Iterator[None]:
    """Serialise provisioning and start/stop across processes (parallel test sessions, two shells)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------------------------
# Process state


def read_state(path: Path) -> dict[str, object]:
    try:
        data = json.loads((path / "instance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_pid(path: Path) -> int | None:
    try:
        return int((path / "run" / "neo4j.pid").read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def is_our_server(pid: int, path: Path) -> bool:
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
    return SERVER_MAIN.encode() in args and not homes.isdisjoint(args)


def status(instance: str = DEFAULT_INSTANCE) -> ServerInfo:
    """Whether the instance's server process is alive, with its ports; cheap (files and /proc only)."""
    path = instance_dir(instance)
    state = read_state(path)
    pid = read_pid(path)
    running = pid is not None and is_our_server(pid, path)
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

"""Connection settings and a driver factory that turns connection failures into one clear message.

Settings come from, in order: explicit arguments (CLI flags), the environment variables the Neo4j
tools use (``NEO4J_URI``, ``NEO4J_USER``/``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``),
and otherwise the server that ``kg neo4j start`` manages for this user.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.neo4j import admin_cypher
from kg.neo4j.instances import managed_settings
from kg.neo4j.settings import DEFAULT_DATABASE, DEFAULT_URI, DEFAULT_USER, Neo4jSettings

if TYPE_CHECKING:
    from neo4j import Driver

__all__ = ["DEFAULT_DATABASE", "DEFAULT_URI", "DEFAULT_USER", "HINT", "Neo4jSettings", "Neo4jUnavailable", "open_driver", "resolve_settings", "uri_problem"]

HINT = "start one with `kg neo4j start` (needs Java 17/21) or `docker compose up -d`, or set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD"


class Neo4jUnavailable(RuntimeError):
    """The database cannot be used: unreachable, wrong credentials or unknown database."""


def resolve_settings(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Neo4jSettings:
    """Combine flags, environment and the managed local server into one set of settings."""
    env = os.environ
    uri = uri or env.get("NEO4J_URI")
    user = user or env.get("NEO4J_USER") or env.get("NEO4J_USERNAME")
    password = password if password is not None else env.get("NEO4J_PASSWORD")
    database = database or env.get("NEO4J_DATABASE")
    if not uri:
        managed = managed_settings()
        if managed is not None:
            return Neo4jSettings(
                uri=managed.uri,
                user=user or managed.user,
                password=password if password is not None else managed.password,
                database=database or managed.database,
            )
    return Neo4jSettings(
        uri=uri or DEFAULT_URI,
        user=user or DEFAULT_USER,
        password=password or "",
        database=database or DEFAULT_DATABASE,
    )


#: The URI schemes of the Bolt protocol the Python driver speaks (``http://`` is the Browser port,
#: which the driver would try to reach through an optional HTTP client: a confusing traceback).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def uri_problem(uri: str) -> str | None:
    """Why ``uri`` cannot be a Neo4j Bolt URI (scheme, host, port), or None when it can."""
    from urllib.parse import urlsplit

    shown = repr(uri)
    if "://" not in uri:
        return f"the Neo4j URI {shown} has no scheme: write it as bolt://HOST:7687 or neo4j://HOST:7687"
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        return f"the Neo4j URI {shown} is not a URI ({exc})"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return f"the Neo4j URI {shown} is an HTTP address (the Browser's port); newskg speaks Bolt: use bolt://{parts.hostname or 'HOST'}:7687"
    if scheme not in BOLT_SCHEMES:
        return f"the Neo4j URI {shown} has the scheme {scheme!r}; use one of {', '.join(s + '://' for s in BOLT_SCHEMES)}"
    if not parts.hostname:
        return f"the Neo4j URI {shown} names no host: write it as {scheme}://HOST:7687"
    try:
        port = parts.port
    except ValueError:
        return f"the Neo4j URI {shown} has a port that is not a number from 1 to 65535"
    if port == 0:
        return f"the Neo4j URI {shown} has port 0; the Bolt port is usually 7687"
    return None


def open_driver(settings: Neo4jSettings) -> Driver:
    """Open a driver and prove the server and database answer, or raise :class:`Neo4jUnavailable`."""
    import logging

    import neo4j
    from neo4j import exceptions as neo4j_errors

    problem = uri_problem(settings.uri)
    if problem is not None:
        raise Neo4jUnavailable(problem)
    # The driver logs failed routing attempts itself ("Unable to retrieve routing information");
    # the one line below says it all.
    driver_log = logging.getLogger("neo4j")
    if not driver_log.handlers:
        driver_log.addHandler(logging.NullHandler())
    try:
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password))
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise Neo4jUnavailable(f"invalid Neo4j URI {settings.uri!r}: {exc}") from None
    try:
        driver.verify_connectivity()
        driver.execute_query(admin_cypher.PING, database_=settings.database)
    except neo4j_errors.AuthError:
        driver.close()
        raise Neo4jUnavailable(
            f"Neo4j at {settings.uri} refused the credentials for user {settings.user!r}; check NEO4J_USER/NEO4J_PASSWORD ({HINT})"
        ) from None
    except neo4j_errors.ClientError as exc:
        driver.close()
        if "database" in (exc.code or "").lower() or "DatabaseNotFound" in (exc.code or ""):
            raise Neo4jUnavailable(
                f"Neo4j at {settings.uri} has no database {settings.database!r}; check NEO4J_DATABASE"
            ) from None
        raise Neo4jUnavailable(f"Neo4j at {settings.uri} refused the connection: {exc.message}") from None
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
        driver.close()
        raise Neo4jUnavailable(f"cannot reach Neo4j at {settings.uri} ({type(exc).__name__}); {HINT}") from None
    return driver

"""``kg neo4j start | stop | status | check``: a local Neo4j 5.26 Community server without Docker."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

neo4j_app = typer.Typer(
    name="neo4j",
    help=(
        "Run a local Neo4j 5.26 Community server without Docker (needs Java 17 or 21). The jars come from "
        "Maven Central on first start and are cached under $NEWSKG_HOME (default ~/.cache/newskg). "
        "Every kg command uses the 'default' instance when NEO4J_URI is unset."
    ),
    no_args_is_help=True,
)

InstanceOption = Annotated[
    str,
    typer.Option(
        "--instance",
        "-i",
        help="Instance name: each has its own data directory and ports. kg commands use 'default'; tests use 'test'.",
    ),
]


def _fail(message: object) -> NoReturn:
    """One line on stderr and exit 1: errors here are about set-up, a traceback would only bury the cause."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _progress(message: str) -> None:
    typer.echo(message, err=True)


@neo4j_app.command("start")
def start(
    instance: InstanceOption = "default",
    bolt_port: Annotated[int, typer.Option("--bolt-port", help="Bolt port on 127.0.0.1.")] = 7687,
    http_port: Annotated[int, typer.Option("--http-port", help="HTTP (Browser) port on 127.0.0.1.")] = 7474,
    heap: Annotated[str, typer.Option("--heap", help="JVM heap size, e.g. 512m or 2g.")] = "512m",
    pagecache: Annotated[str, typer.Option("--pagecache", help="Page cache size, e.g. 256m or 1g.")] = "256m",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait until Bolt answers.")] = 180.0,
    quick_jit: Annotated[
        bool, typer.Option("--quick-jit", help="C1 JIT only: starts with ~40% less CPU, runs heavy queries slower.")
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Throw-away instances only: stop it and delete its data first (refused for 'default')."),
    ] = False,
) -> None:
    """Start the server in the background (provisioning it on first use) and wait until it answers."""
    import shutil

    from kg.neo4j import server

    if fresh:
        if instance == server.DEFAULT_INSTANCE:
            _fail("--fresh deletes the instance's data: it is refused for the 'default' instance, which holds your graph")
        server.stop(instance)
        shutil.rmtree(server.instance_dir(instance), ignore_errors=True)
        typer.echo(f"Deleted the data of Neo4j instance {instance!r} (--fresh).", err=True)
    try:
        info = server.start(
            instance, bolt_port, http_port, heap=heap, pagecache=pagecache, timeout=timeout, quick_jit=quick_jit,
            progress=_progress,
        )  # fmt: skip
    except server.Neo4jServerError as exc:
        _fail(exc)
    typer.echo(f"Neo4j {info.version} Community is running (instance {info.instance!r}, pid {info.pid}).")
    typer.echo(f"  URI:       {info.uri}")
    typer.echo(f"  Browser:   {info.http_url}")
    typer.echo(f"  User:      {info.user}")
    typer.echo(f"  Password:  stored in {info.password_file}")
    typer.echo(f"  Log:       {info.log_file}")
    if info.instance == server.DEFAULT_INSTANCE:
        typer.echo("Every kg command uses this server when NEO4J_URI is unset. Stop it with `kg neo4j stop`.")
    else:
        typer.echo(
            f"kg commands use the 'default' instance; to use this one set NEO4J_URI={info.uri} "
            f'NEO4J_PASSWORD="$(cat {info.password_file})". Stop it with `kg neo4j stop -i {info.instance}`.'
        )


@neo4j_app.command("stop")
def stop(
    instance: InstanceOption = "default",
    grace: Annotated[float, typer.Option("--grace", help="Seconds to wait after SIGTERM before SIGKILL.")] = 120.0,
) -> None:
    """Stop the server (SIGTERM, then SIGKILL after the grace period). Data is kept."""
    from kg.neo4j import server

    try:
        stopped = server.stop(instance, grace=grace)
    except server.Neo4jServerError as exc:
        _fail(exc)
    typer.echo(f"Stopped Neo4j instance {instance!r}." if stopped else f"Neo4j instance {instance!r} was not running.")


@neo4j_app.command("status")
def status(instance: InstanceOption = "default") -> None:
    """Show whether the server runs and where it lives. Exit code 0 when running, 3 when not (as `neo4j status`)."""
    from kg.neo4j import server

    try:
        info = server.status(instance)
    except server.Neo4jServerError as exc:
        _fail(exc)
    if not info.running:
        typer.echo(f"Neo4j instance {instance!r} is not running (directory {info.instance_dir}).")
        raise typer.Exit(3)
    typer.echo(f"Neo4j instance {instance!r} is running (pid {info.pid}, Neo4j {info.version}).")
    typer.echo(f"  URI:       {info.uri}")
    typer.echo(f"  Browser:   {info.http_url}")
    typer.echo(f"  User:      {info.user}")
    typer.echo(f"  Password:  stored in {info.password_file}")
    typer.echo(f"  Directory: {info.instance_dir}")


@neo4j_app.command("env")
def env(instance: InstanceOption = "default") -> None:
    """Print `export NEO4J_URI=… NEO4J_USER=… NEO4J_PASSWORD=…` for a running instance, for
    `eval "$(kg neo4j env -i NAME)"`: every kg command in that shell then uses it (`make demo` does)."""
    import shlex

    from kg.neo4j import server

    try:
        info = server.status(instance)
        if not info.running:
            _fail(f"Neo4j instance {instance!r} is not running; start it with `kg neo4j start -i {instance}`")
        settings = info.settings()
    except server.Neo4jServerError as exc:
        _fail(exc)
    typer.echo(
        f"export NEO4J_URI={shlex.quote(settings.uri)} NEO4J_USER={shlex.quote(settings.user)} "
        f"NEO4J_PASSWORD={shlex.quote(settings.password)} NEO4J_DATABASE={shlex.quote(settings.database)}"
    )


@neo4j_app.command("check")
def check(
    uri: Annotated[str | None, typer.Option("--uri", help="Bolt URI; default NEO4J_URI, else the managed server.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="User; default NEO4J_USER or neo4j.")] = None,
    database: Annotated[str | None, typer.Option("--database", help="Database; default NEO4J_DATABASE or neo4j.")] = None,
) -> None:
    """Prove that the Neo4j every kg command would use answers (the password comes from NEO4J_PASSWORD)."""
    from kg.neo4j.admin import server_version
    from kg.neo4j.connection import Neo4jUnavailable, open_driver, resolve_settings

    settings = resolve_settings(uri=uri, user=user, database=database)
    try:
        driver = open_driver(settings)
    except Neo4jUnavailable as exc:
        _fail(exc)
    try:
        version = server_version(driver, settings.database)
    finally:
        driver.close()
    typer.echo(f"{version} answers at {settings.uri} (user {settings.user!r}, database {settings.database!r}).")


def register(app: typer.Typer) -> None:
    """Add the ``kg neo4j`` command group."""
    app.add_typer(neo4j_app, name="neo4j")

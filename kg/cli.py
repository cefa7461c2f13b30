"""The ``kg`` command line: a Typer app assembled from the modules in :mod:`kg.commands`."""

from __future__ import annotations

import importlib
import pkgutil
import signal

import typer

import kg
import kg.commands

app = typer.Typer(
    name="kg",
    help="newskg: turn news articles into a Neo4j knowledge graph of who released what and who said what.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"newskg {kg.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."),
) -> None:
    """newskg command line."""
    _terminate_like_interrupt()


def _terminate_like_interrupt() -> None:
    """SIGTERM stops ``kg`` the way Ctrl-C does: worker processes are stopped and what was
    committed stays committed (a re-run resumes). Only from the main thread, once."""
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread (kg invoked from a test's thread)
        pass


def _raise_interrupt(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM kills at once
    raise KeyboardInterrupt


for _module in sorted(pkgutil.iter_modules(kg.commands.__path__), key=lambda m: m.name):
    importlib.import_module(f"kg.commands.{_module.name}").register(app)

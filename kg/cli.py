"""The ``kg`` command line: a Typer app assembled from the modules in :mod:`kg.commands`."""

from __future__ import annotations

import importlib
import pkgutil

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


for _module in sorted(pkgutil.iter_modules(kg.commands.__path__), key=lambda m: m.name):
    importlib.import_module(f"kg.commands.{_module.name}").register(app)

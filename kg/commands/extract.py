"""``kg extract``: read articles, extract entities and claims, write a graph document."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

EXIT_SOME_FAILED = 1
EXIT_USAGE = 2

EncodingFallbackOption = Annotated[
    str | None,
    typer.Option(
        "--encoding-fallback",
        metavar="ENCODING",
        help="Read a file that is not valid UTF-8 with this encoding (e.g. cp1252, latin-1) and warn, instead of "
        "reporting it as a bad input. Files with NUL bytes or UTF-16/32 byte order marks are still refused.",
        show_default=False,
    ),
]


def encoding_fallback(command: str, name: str | None, warn):  # type: ignore[no-untyped-def]
    """The reader's :class:`~kg.articles.decoding.Fallback` for ``--encoding-fallback`` (None without it);
    a name that is no usable encoding is a usage error (one line, exit 2)."""
    if name is None:
        return None
    from kg.articles.decoding import Fallback, check_fallback_encoding

    try:
        return Fallback(check_fallback_encoding(name), on_warning=warn)
    except ValueError as exc:
        typer.echo(f"kg {command}: --encoding-fallback: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def prepare(command: str, paths: list[str] | None, url_files: list[Path] | None, state: Path | None, refetch: bool, fallback_encoding: str | None):  # type: ignore[no-untyped-def]
    """What ``kg extract`` and ``kg ingest`` read: the encoding fallback and the prepared inputs
    (:func:`kg.inputs.prepare_inputs`: paths, URLs fetched); no input at all is a usage error."""
    from kg.inputs import prepare_inputs
    from kg.sources import default_state_path

    if not paths and not url_files:
        typer.echo(f"kg {command}: give article files, folders or URLs (or --urls FILE)", err=True)
        raise typer.Exit(EXIT_USAGE)
    fallback = encoding_fallback(command, fallback_encoding, lambda message: typer.echo(f"kg {command}: warning: {message}", err=True))
    on_error = lambda message: typer.echo(f"kg {command}: {message}", err=True)  # noqa: E731
    prepared = prepare_inputs(paths or [], url_files or [], state=state or default_state_path(), refetch=refetch, on_error=on_error)
    return fallback, prepared


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def default_processes() -> int:
    """The machine's cores (see :func:`kg.distributed.default_processes`)."""
    from kg.distributed import default_processes as cores

    return cores()


def extract(
    paths: Annotated[list[str] | None, typer.Argument(help="Article files or folders (.txt .md .html .json .jsonl; read recursively), article URLs or RSS/Atom feed URLs.", show_default=False)] = None,
    url_files: Annotated[list[Path] | None, typer.Option("--urls", help="A file of article or feed URLs, one a line (# comments). Repeatable.")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="Conditional-request state for URLs (default: $NEWSKG_HOME/sources/state.json).")] = None,
    refetch: Annotated[bool, typer.Option("--refetch", help="Fetch every URL in full, ignoring (and then replacing) the saved state.")] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="Graph document to write (JSON Lines); '-' for stdout.")] = "graph.jsonl",
    output_format: Annotated[str, typer.Option("--format", help="'jsonl' writes the graph document; 'table' also prints a summary table to stdout.")] = "jsonl",
    model: Annotated[str | None, typer.Option("--model", help="spaCy base pipeline (default: pipelines/newskg.cfg or $NEWSKG_SPACY_MODEL).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per nlp.pipe batch (memory grows with it, speed does not); worker processes get chunks of 4 batches.")] = 8,
    processes: Annotated[int | None, typer.Option("--processes", "-p", min=1, help="Worker processes for extraction (default: the machine's cores; 1 = in this process).", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary (progress: a bar with rate and ETA on a terminal, else a line every 500 articles or 30 s).")] = False,
    fallback_encoding: EncodingFallbackOption = None,
) -> None:
    """Extract Organizations, People, Models, Places and RELEASED / DEVELOPS / SAID / AFFILIATED_WITH claims.

    Writes one JSON object a line (docs/graph-document.md); problems with single files or lines are
    named on stderr and the rest is still extracted. Exit code: 0 all read; 1 bad inputs (named)
    or nothing could be done (no output is written when no input exists); 2 usage errors only.
    """
    from kg.inputs import ArticleInputs, close_web, open_web
    from kg.progress import Progress, count_article_files
    from kg.distributed import PipelineSpec, ProcessExecutor, chunked
    from kg.extract.extractor import extract_articles
    from kg.extract.output import ExtractionSummary, GraphDocumentWriter
    from kg.extract.pipeline import PipelineError, load_config, load_pipeline

    if output_format not in ("jsonl", "table"):
        typer.echo(f"kg extract: unknown --format {output_format!r} (use jsonl or table)", err=True)
        raise typer.Exit(2)
    fallback, prepared = prepare("extract", paths, url_files, state, refetch, fallback_encoding)
    paths = prepared.paths
    if prepared.empty:
        typer.echo("kg extract: nothing to read; no output written", err=True)
        raise typer.Exit(EXIT_SOME_FAILED)
    n = processes or default_processes()
    nlp = None
    if n == 1:
        try:
            nlp = load_pipeline(model)
        except PipelineError as exc:
            typer.echo(f"kg extract: {exc}", err=True)
            raise typer.Exit(1) from None
    summary = ExtractionSummary()
    if not open_web(prepared, lambda message: typer.echo(f"kg extract: {message}", err=True)):
        raise typer.Exit(EXIT_SOME_FAILED)
    inputs = ArticleInputs(paths, on_error=lambda message: typer.echo(f"kg extract: {message}", err=True), exclude=None if output == "-" else Path(output), web=prepared.web, fallback=fallback)
    finished = False

    def good_articles():  # type: ignore[no-untyped-def]
        yield from inputs

    def take(result) -> None:  # type: ignore[no-untyped-def]
        if result.error is not None:  # reported and skipped; the run goes on
            summary.failed += 1
            typer.echo(f"kg extract: {result.article.path or result.article.id}: {result.error}", err=True)
            return
        writer.write(result)
        summary.add(result)

    out = sys.stdout if output == "-" else None
    try:
        handle = out or open(output, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        close_web(prepared, save=False, echo=typer.echo)
        typer.echo(f"kg extract: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    stack = contextlib.ExitStack()
    try:
        if nlp is not None:
            writer = GraphDocumentWriter(handle, model=f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}")
            results = extract_articles(nlp, good_articles(), batch_size=batch_size)
        else:
            # N worker processes each load the pipeline once and return records (not spaCy docs),
            # in input order, with a bounded number of chunks in flight.
            writer = GraphDocumentWriter(handle, model=_model_label(model, load_config))
            pool = stack.enter_context(ProcessExecutor(n, PipelineSpec(model=model, batch_size=batch_size)))
            results = (result for chunk in pool.results(chunked(good_articles(), 4 * batch_size), ordered=True) for result in chunk)
        with Progress("kg extract", (count_article_files(paths) if not prepared.web else None) if not quiet else None, quiet=quiet) as progress:
            for result in results:
                take(result)
                progress.update(summary.articles + summary.failed + inputs.failed + inputs.repeated)
        finished = True
    except PipelineError as exc:  # raised by a worker process that cannot load the pipeline
        typer.echo(f"kg extract: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        stack.__exit__(*sys.exc_info())  # an error or Ctrl-C stops the workers at once
        if out is None:
            handle.close()
        close_web(prepared, save=finished, echo=lambda line: None if quiet else typer.echo(line, err=True))
    summary.failed += inputs.failed + prepared.bad  # plus the articles extraction gave up on (take)
    summary.repeated = inputs.repeated
    if not quiet:
        typer.echo(summary.render(), err=output_format != "table")
    if summary.failed:
        raise typer.Exit(EXIT_SOME_FAILED)


def _model_label(model: str | None, load_config) -> str:  # type: ignore[no-untyped-def]
    """The graph document header's model label ("en_core_web_sm-3.8.0"), read from the installed
    package's meta without loading the pipeline (worker processes load it)."""
    import spacy

    from kg.extract.pipeline import base_model_name

    base = base_model_name(model, load_config())
    try:
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(base))
    except Exception:  # not an installed package (a path, or missing: the workers will say)
        return str(base)
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"

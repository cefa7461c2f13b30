"""Run a ``kg`` command with newskg_ner's model or the base NER changed, without editing the config.

    .venv/bin/python bench/ner/variant.py [--model DIR] [--exclude-base-ner] [--threshold T]
        [--person-threshold T] -- eval ainews-gold bench/gold/ainews2025/gold.jsonl --split dev

For comparing a training checkpoint with the shipped ``pipelines/ner/model``, and for measuring
what the base model's generic ``ner`` (the "second opinion", docs/ner.md) adds: the pipeline
config (``pipelines/newskg.cfg``) is read as usual and only the named settings are replaced.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def patch_config(model: Path | None = None, exclude_base_ner: bool = False, threshold: float | None = None,
                 person_threshold: float | None = None) -> None:
    """Make ``kg.extract.pipeline.load_pipeline`` read the config with these settings replaced."""
    import kg.extract.pipeline as pipeline

    original = getattr(pipeline.load_config, "__wrapped__", pipeline.load_config)

    def load_config(path: Path | None = None):
        config = original(path)
        if exclude_base_ner:
            config["nlp"]["exclude"] = sorted({*config["nlp"].get("exclude", []), "ner"})
        if model is not None:
            config["components"]["newskg_ner"]["model"] = str(Path(model).resolve())
        entities = config["components"]["newskg_entities"]
        if threshold is not None:
            entities["threshold"] = threshold
        if person_threshold is not None:
            entities["person_threshold"] = person_threshold
        return config

    load_config.__wrapped__ = original  # type: ignore[attr-defined]
    pipeline.load_config = load_config


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    own, rest = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="a trained NER model folder")
    parser.add_argument("--exclude-base-ner", action="store_true", help="leave the base model's ner out")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--person-threshold", type=float, default=None)
    args = parser.parse_args(own)
    if args.model is not None and not (args.model / "config.cfg").is_file():
        parser.error(f"{args.model}: not a spaCy model folder (no config.cfg)")
    patch_config(args.model, args.exclude_base_ner, args.threshold, args.person_threshold)
    from kg.cli import app

    return app(rest, standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())

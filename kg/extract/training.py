"""A ``spacy train`` config for adding a trained component to newskg's pipeline.

``nlp.to_disk(DIR)`` saves the whole pipeline (base model, newskg's components and their data);
:func:`training_config` turns ``DIR/config.cfg`` into a training config in which every existing
component is *sourced* from ``DIR``, frozen and annotating (a new component sees their
annotations: sentences, entities, ...). Add the new component's block and its name to
``[nlp] pipeline``, then train it::

    .venv/bin/python -m kg.extract.training out/pipeline out/pipeline-train.cfg
    # edit out/pipeline-train.cfg: [components.my_component] + nlp.pipeline
    .venv/bin/python -m spacy train out/pipeline-train.cfg --code kg/extract/pipeline.py \\
        --paths.train train.spacy --paths.dev dev.spacy

(``make pipeline-train-config`` runs the first line.) ``--code kg/extract/pipeline.py`` registers
newskg's factories for spaCy's CLI.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from thinc.api import Config


def training_config(directory: Path) -> Config:
    """The training config of the pipeline saved in ``directory`` (see the module docstring)."""
    directory = Path(directory).resolve()
    config = Config().from_disk(directory / "config.cfg", interpolate=False)
    names = list(config["nlp"]["pipeline"])
    config["components"] = {name: {"source": str(directory)} for name in names}
    config["training"]["frozen_components"] = names
    disabled = set(config["nlp"].get("disabled", []))
    config["training"]["annotating_components"] = [name for name in names if name not in disabled]
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    # the base model's own lookups are in its saved vocab (spacy-lookups-data is not installed)
    config["initialize"]["lookups"] = None
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a spacy train config that sources every component of a saved newskg pipeline.")
    parser.add_argument("pipeline", type=Path, help="a folder written by nlp.to_disk (kg.extract.pipeline.load_pipeline)")
    parser.add_argument("output", type=Path, help="the config to write")
    parser.add_argument("--save-pipeline", action="store_true", help="first save newskg's configured pipeline to PIPELINE")
    args = parser.parse_args(argv)
    if args.save_pipeline:
        from kg.extract.pipeline import load_pipeline

        load_pipeline().to_disk(args.pipeline)
    if not (args.pipeline / "config.cfg").is_file():
        parser.error(f"{args.pipeline}: no config.cfg (save a pipeline there first, e.g. with --save-pipeline)")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    training_config(args.pipeline).to_disk(args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

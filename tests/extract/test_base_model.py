"""The one place that chooses the base spaCy model (kg/extract/base_model.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from thinc.api import Config

from kg.extract.base_model import MODEL_ENV, PipelineError, base_model_name, load_base_model, load_config


def _config(base_model: str) -> Config:
    return Config().from_str(f'[nlp]\nbase_model = "{base_model}"\n', interpolate=False)


@pytest.mark.parametrize(
    ("argument", "env", "expected"),
    [
        ("model_from_argument", "model_from_env", "model_from_argument"),  # --model wins
        (None, "model_from_env", "model_from_env"),  # then $NEWSKG_SPACY_MODEL
        (None, None, "model_from_config"),  # then the config's [nlp] base_model
        (None, "", "model_from_config"),  # an empty variable is no choice
    ],
)
def test_base_model_name_order(monkeypatch: pytest.MonkeyPatch, argument: str | None, env: str | None, expected: str) -> None:
    if env is None:
        monkeypatch.delenv(MODEL_ENV, raising=False)
    else:
        monkeypatch.setenv(MODEL_ENV, env)
    assert base_model_name(argument, _config("model_from_config")) == expected


def test_the_shipped_config_names_a_base_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert base_model_name() == load_config()["nlp"]["base_model"]
    assert base_model_name()


def test_load_config_reads_a_given_file(tmp_path: Path) -> None:
    path = tmp_path / "other.cfg"
    path.write_text('[nlp]\nbase_model = "xx_other_model"\n', encoding="utf-8")
    assert load_config(path)["nlp"]["base_model"] == "xx_other_model"


def test_an_unknown_base_model_is_a_one_line_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(PipelineError, match=r"cannot load spaCy model .*no-such-model.*--model") as caught:
        load_base_model(missing)
    assert "\n" not in str(caught.value)

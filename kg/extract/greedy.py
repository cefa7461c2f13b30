"""Greedy decoding of a spaCy entity recognizer, batched in numpy, optionally keeping confidences.

spaCy's own greedy loop (``EntityRecognizer.predict``) is C, but it takes and releases the GIL at
every step of every batch, which on a shared 2-core machine costs as much as the arithmetic; and
it keeps no scores. :func:`greedy_entities` does the same decoding with one ``step_model`` call
per step for the whole batch, picks every state's move with array operations, and asks the
transition system for validity only of the move it picked: the chosen move is spaCy's (the
best-scoring valid one: valid moves are always among the BILUO-allowed ones scanned here).

With ``scored=True`` it also returns, for every token, the chosen move's probability: its softmax
share among the moves the BILUO scheme allows there (out/begin/unit of any type outside an entity,
a begin or unit counting for both "an entity of this type starts here"; in/last of the open
entity's type inside one); 1.0 where the move taken was outside those (spaCy's validity forced it).
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.tokens import Doc


class MoveTable:
    """The recognizer's moves, indexed for the decoder (built once per recognizer)."""

    def __init__(self, ner: Any) -> None:
        moves = ner.moves
        names = [moves.get_class_name(i) for i in range(moves.n_moves)]
        self.names = names
        self.labels = list(ner.labels)
        n = len(names)
        label_row = {label: k + 1 for k, label in enumerate(self.labels)}
        # allowed[row]: row 0 outside an entity (O, B-X, U-X; not the label-less internal moves),
        # row k inside an entity of the k-th label (I-X, L-X)
        allowed = numpy.zeros((len(self.labels) + 1, n), dtype=bool)
        self.open_row = numpy.zeros(n, dtype=numpy.int64)  # the row a move leaves the state in
        self.partner = numpy.arange(n)  # begin <-> unit of the same label (both "starts here")
        self.is_start = numpy.zeros(n, dtype=bool)
        for i, name in enumerate(names):
            kind, _, label = name.partition("-")
            if name == "O" or (kind in ("B", "U") and label):
                allowed[0, i] = True
            elif kind in ("I", "L") and label in label_row:
                allowed[label_row[label], i] = True
            if kind in ("B", "I") and label in label_row:
                self.open_row[i] = label_row[label]
            if kind in ("B", "U") and label:
                self.is_start[i] = True
                self.partner[i] = names.index(f"{'U' if kind == 'B' else 'B'}-{label}")
        self.allowed = allowed
        self.columns = [numpy.flatnonzero(row) for row in allowed]


def greedy_entities(ner: Any, docs: list[Doc], table: MoveTable, *, scored: bool = False) -> tuple[list, list[list[float]] | None]:
    """Decode ``docs`` greedily with ``ner``; the final states (for ``ner.set_annotations``) and,
    when ``scored``, each doc's per-token probabilities of the chosen moves."""
    moves, names = ner.moves, table.names
    ner._ensure_labels_are_added(docs)
    states = moves.init_batch(docs)
    probs: list[list[float]] | None = [[1.0] * len(doc) for doc in docs] if scored else None
    if not any(len(doc) for doc in docs):
        return states, probs
    step_model = ner.model.predict(docs)
    position = [0] * len(states)
    row_of = numpy.zeros(len(states), dtype=numpy.int64)  # each state's allowed row (0: outside)
    active = [i for i, state in enumerate(states) if not state.is_final()]
    is_valid, apply = moves.is_valid, moves.apply_transition
    while active:
        scores = step_model.predict([states[i] for i in active])
        rows = row_of[active]
        masked = numpy.where(table.allowed[rows], scores, -numpy.inf)
        best = masked.argmax(axis=1)
        chosen = best.copy()
        for r, i in enumerate(active):
            move = int(best[r])
            if not is_valid(states[i], names[move]):
                move = _first_valid(moves, states[i], scores[r], table.columns[rows[r]], names)
            chosen[r] = move
        if probs is not None:
            shares = _shares(scores, rows, chosen, table)
            for r, i in enumerate(active):
                if position[i] < len(probs[i]):
                    probs[i][position[i]] = float(shares[r])
        for r, i in enumerate(active):
            apply(states[i], names[int(chosen[r])])
            position[i] += 1
        row_of[active] = table.open_row[chosen]
        active = [i for i in active if not states[i].is_final()]
    step_model.clear_memory()
    return states, probs


def _first_valid(moves: Any, state: Any, scores: numpy.ndarray, allowed: numpy.ndarray, names: list[str]) -> int:
    """The best-scoring valid move: among the allowed ones first, else among all (spaCy's validity knows better)."""
    for move in allowed[numpy.argsort(-scores[allowed])]:
        if moves.is_valid(state, names[move]):
            return int(move)
    return next(int(m) for m in numpy.argsort(-scores) if moves.is_valid(state, names[m]))


def _shares(scores: numpy.ndarray, rows: numpy.ndarray, chosen: numpy.ndarray, table: MoveTable) -> numpy.ndarray:
    """Each row's chosen-move probability among its allowed moves (see the module's docstring)."""
    shares = numpy.ones(len(rows), dtype=numpy.float64)
    for row in numpy.unique(rows):
        which = numpy.flatnonzero(rows == row)
        columns = table.columns[row]
        block = scores[which][:, columns]  # the allowed scores, in move order, one row per state
        top = block.max(axis=1)
        # summed row by row: numpy sums a 1-D row pairwise, an axis of a 2-D block in another order
        total = numpy.array([weights.sum() for weights in numpy.exp(block - top[:, None])])
        picked = chosen[which]
        weight = numpy.exp(scores[which, picked] - top)
        starts = table.is_start[picked]
        if starts.any():
            weight = numpy.where(starts, weight + numpy.exp(scores[which, table.partner[picked]] - top), weight)
        inside = table.allowed[row, picked]
        shares[which] = numpy.where(inside, weight / total, 1.0)
    return shares

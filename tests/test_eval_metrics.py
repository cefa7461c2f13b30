"""Metric and span arithmetic of the evaluation harness, on cases worked out by hand."""

from __future__ import annotations

import pytest

from kg.eval.conll import iob_chunks
from kg.eval.metrics import (
    Score,
    cofenet_jaccard_counts,
    exact_match,
    overlap_match,
    proportional_match,
    total,
)
from kg.eval.spans import OffsetMapper, TokenIndex, iou, join_tokens, merge_fragments, normalized_spans, trim_span


def close(value: float, expected: float) -> bool:
    return value == pytest.approx(expected, abs=1e-9)


# --- Score -----------------------------------------------------------------------------------


def test_score_ratios_from_counts() -> None:
    score = Score(correct_pred=3, n_pred=4, found_gold=3, n_gold=6)
    assert close(score.precision, 0.75)
    assert close(score.recall, 0.5)
    assert close(score.f1, 2 * 0.75 * 0.5 / 1.25)  # 0.6


def test_empty_score_is_zero_not_an_error() -> None:
    score = Score()
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_scores_add_up_as_micro_average() -> None:
    combined = total([Score(1, 2, 1, 1), Score(0, 0, 0, 3)])
    assert combined == Score(1, 2, 1, 4)
    assert close(combined.precision, 0.5) and close(combined.recall, 0.25)


def test_scaled_weights_every_count() -> None:
    assert Score(1, 2, 1, 4).scaled(0.5) == Score(0.5, 1, 0.5, 2)


def test_as_dict_keeps_integers_integral() -> None:
    data = Score(1, 2, 1, 4).as_dict()
    assert data["n_pred"] == 2 and isinstance(data["n_pred"], int)
    assert data["precision"] == 0.5 and data["recall"] == 0.25 and data["f1"] == pytest.approx(0.3333, abs=1e-4)


# --- matching rules --------------------------------------------------------------------------


def test_exact_match_counts_identical_items_only() -> None:
    gold = [(0, 10), (20, 30), (40, 50)]
    pred = [(0, 10), (21, 30)]
    score = exact_match(gold, pred)
    assert score == Score(1, 2, 1, 3)
    assert close(score.precision, 0.5) and close(score.recall, 1 / 3) and close(score.f1, 0.4)


def test_exact_match_with_types_needs_the_type_too() -> None:
    assert exact_match([(0, 1, "Person")], [(0, 1, "Organization")]) == Score(0, 1, 0, 1)


def test_empty_predictions_give_zero_precision_and_recall() -> None:
    score = exact_match([(0, 5)], [])
    assert score == Score(0, 0, 0, 1)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_empty_gold_and_predictions_count_nothing() -> None:
    assert exact_match([], []) == Score()
    assert overlap_match([], []) == Score()
    assert proportional_match([], []) == Score()


def test_duplicate_predictions_count_once() -> None:
    score = exact_match([(0, 5)], [(0, 5), (0, 5), (0, 5)])
    assert score == Score(1, 1, 1, 1)
    assert close(score.f1, 1.0)


def test_overlap_match_one_prediction_covering_two_gold_spans() -> None:
    score = overlap_match([(0, 10), (20, 30)], [(5, 25)])
    assert score == Score(1, 1, 2, 2)
    assert close(score.f1, 1.0)
    assert exact_match([(0, 10), (20, 30)], [(5, 25)]).f1 == 0.0


def test_overlap_needs_a_shared_character_not_a_shared_boundary() -> None:
    assert overlap_match([(0, 10)], [(10, 20)]) == Score(0, 1, 0, 1)


def test_proportional_match_gives_iou_credit() -> None:
    # gold 0-10, pred 5-15: intersection 5, union 15 -> 1/3 each way.
    score = proportional_match([(0, 10)], [(5, 15)])
    assert close(score.precision, 1 / 3) and close(score.recall, 1 / 3) and close(score.f1, 1 / 3)
    # A stray prediction halves precision: P = (1/3 + 0) / 2 = 1/6, R = 1/3, F1 = 2/9.
    score = proportional_match([(0, 10)], [(5, 15), (20, 30)])
    assert close(score.precision, 1 / 6) and close(score.recall, 1 / 3) and close(score.f1, 2 / 9)


def test_cofenet_jaccard_counts_stray_predictions_as_zero() -> None:
    credit, count = cofenet_jaccard_counts([(0, 10)], [(5, 15), (20, 30)])
    assert close(credit, 1 / 3) and count == 2.0  # one gold span + one prediction overlapping none
    credit, count = cofenet_jaccard_counts([(0, 10), (40, 50)], [(0, 10)])
    assert close(credit, 1.0) and count == 2.0  # 0.5 overall: the second gold span is missed


def test_iou() -> None:
    assert iou((0, 10), (0, 10)) == 1.0
    assert iou((0, 10), (10, 20)) == 0.0
    assert close(iou((0, 4), (2, 6)), 2 / 6)


# --- spans -----------------------------------------------------------------------------------


def test_trim_span_strips_whitespace_and_punctuation_at_edges() -> None:
    text = 'He said, "it works."  '
    start = text.index('"')
    assert trim_span(text, start, len(text)) == (start + 1, text.index("works") + 5)
    assert trim_span(text, 0, 2) == (0, 2)
    assert trim_span(text, 7, 10) is None  # ', "' is all edge characters


def test_trim_span_keeps_inner_punctuation() -> None:
    text = "(U.S. officials)"
    assert trim_span(text, 0, len(text)) == (1, len(text) - 1)


def test_discontinuous_fragments_split_by_a_line_break_are_one_span() -> None:
    text = "abc def\nghi jkl"
    assert merge_fragments(text, [(8, 15), (0, 7)]) == [(0, 15)]
    assert normalized_spans(text, [(0, 7), (8, 15)]) == [(0, 15)]


def test_discontinuous_fragments_skipping_words_stay_apart() -> None:
    text = "The plan, he said, is late."
    first, second = (0, 9), (text.index("is"), len(text))
    assert merge_fragments(text, [first, second]) == [first, second]
    assert normalized_spans(text, [first, second]) == [(0, 8), (second[0], len(text) - 1)]


def test_discontinuous_gold_scores_per_fragment() -> None:
    text = "The plan, he said, is late."
    gold = normalized_spans(text, [(0, 9), (text.index("is"), len(text))])
    whole = trim_span(text, 0, len(text))
    assert whole is not None
    assert exact_match(gold, [whole]) == Score(0, 1, 0, 2)
    assert overlap_match(gold, [whole]) == Score(1, 1, 2, 2)


def test_join_tokens_and_token_index() -> None:
    text, offsets = join_tokens([["Ada", "Lovelace", "wrote"], ["Notes", "."]])
    assert text == "Ada Lovelace wrote\nNotes ."
    assert offsets[3] == (19, 24)
    index = TokenIndex(offsets)
    assert index.token_span(0, 12) == (0, 1)
    assert index.token_span(5, 8) == (1, 1)  # inside a token: that token
    assert index.token_span(2, 6) == (0, 1)  # crossing a boundary: both tokens
    assert index.token_span(12, 13) is None  # only the space between tokens
    assert index.token_span(19, 26) == (3, 4)


def test_offset_mapper_identity_and_rewrites() -> None:
    assert OffsetMapper("abc", "abc").span(0, 3) == (0, 3)
    original = "Hello  **Ada**  Lovelace"
    rewritten = "Hello Ada Lovelace"
    mapper = OffsetMapper(original, rewritten)
    start = rewritten.index("Ada")
    mapped = mapper.span(start, len(rewritten))
    assert mapped is not None
    assert original[mapped[0] : mapped[1]] == "Ada**  Lovelace"
    assert original[slice(*mapper.span(start, start + 3))] == "Ada"  # type: ignore[misc]


def test_offset_mapper_drops_spans_with_nothing_left() -> None:
    mapper = OffsetMapper("abc", "xyz")
    assert mapper.span(0, 3) is None


# --- IOB -------------------------------------------------------------------------------------


def test_iob_chunks_reads_iob2_and_iob1() -> None:
    assert iob_chunks(["B-PER", "I-PER", "O", "B-ORG"]) == [(0, 1, "PER"), (3, 3, "ORG")]
    assert iob_chunks(["I-ORG", "I-ORG", "O", "I-PER", "I-PER", "B-PER"]) == [
        (0, 1, "ORG"),
        (3, 4, "PER"),
        (5, 5, "PER"),
    ]
    assert iob_chunks(["B-PER", "I-ORG"]) == [(0, 0, "PER"), (1, 1, "ORG")]
    assert iob_chunks([]) == []

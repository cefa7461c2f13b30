"""Accuracy of newskg on public benchmarks: PolNeAR, CoNLL++, AI-news summaries and CrossRE.

Layout: :mod:`kg.eval.metrics` (P/R/F1 from counts, exact/overlap/proportional matching),
:mod:`kg.eval.spans` (trimming, fragments, tokens, offset alignment), :mod:`kg.eval.predictors`
(one small protocol per task), one module per set (reader, protocol, scoring, table),
:mod:`kg.eval.newskg` (predictors backed by newskg and by the bare spaCy model) and
:mod:`kg.eval.sets` (the registry ``kg eval`` runs). ``docs/evaluation.md`` states every
protocol decision.
"""

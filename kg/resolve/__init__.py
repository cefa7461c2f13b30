"""Cross-article resolution: one node per real-world entity, one fact per claim, counted sources.

* the curated data (places, model aliases, vetoes, word lists) and the aliases an article states are
  extraction-time knowledge: :mod:`kg.extract.resolution_data` and :mod:`kg.extract.names`; resolve imports them;
* :mod:`kg.resolve.entities` and :mod:`kg.resolve.statements` decide cross-article merges;
* :mod:`kg.resolve.graph` (``kg resolve``) writes them as a reversible layer on the loaded graph.

docs/resolution.md explains the rules, the graph model and how to undo a merge.
"""

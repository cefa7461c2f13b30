"""Cross-article resolution: one node per real-world entity, one fact per claim, counted sources.

* :mod:`kg.resolve.data` loads the curated data (places, model aliases, vetoes, word lists);
* :mod:`kg.resolve.names` finds aliases an article states, for the extractor's naming step;
* :mod:`kg.resolve.entities` and :mod:`kg.resolve.statements` decide cross-article merges;
* :mod:`kg.resolve.graph` (``kg resolve``) writes them as a reversible layer on the loaded graph.

docs/resolution.md explains the rules, the graph model and how to undo a merge.
"""

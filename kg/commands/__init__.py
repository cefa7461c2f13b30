"""CLI command groups. Each module defines ``register(app)``; ``kg.cli`` registers them all.

Modules import their heavy dependencies (spaCy, the Neo4j driver) inside the command functions,
so ``kg --help`` stays fast.
"""

"""Connection settings: the one value object every Neo4j user passes around, and its defaults.

The lowest module of :mod:`kg.neo4j` (it imports nothing of newskg): :mod:`kg.neo4j.instances`
builds settings for a managed instance and :mod:`kg.neo4j.connection` resolves them from flags,
environment and the managed server.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str = DEFAULT_DATABASE

    def __repr__(self) -> str:  # never print the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

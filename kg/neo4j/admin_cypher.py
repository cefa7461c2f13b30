"""The admin home of Cypher: statements about the database as a whole, not about the news graph.

Liveness, the server's version, the wipe that tests and benchmarks start from, and the order-free
fingerprint of a whole graph. The other homes: :mod:`kg.neo4j.cypher` (load, and the schema the
loader keeps), :mod:`kg.resolve.cypher` (the resolution layer), :mod:`kg.export.cypher` (reading a
graph for export) and ``queries/`` (the analysts' named queries).
"""

from __future__ import annotations

#: The cheapest statement that proves a database answers (used after connecting).
PING = "RETURN 1"

#: The server's version and edition (``kg neo4j check``).
SERVER_COMPONENTS = "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition"

#: Delete every node and relationship, ``$batch`` nodes per inner transaction, keeping
#: constraints and indexes (run in an implicit transaction: ``CALL ... IN TRANSACTIONS`` needs one).
DELETE_ALL_IN_BATCHES = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS"

#: Every node with its labels and properties (:mod:`kg.neo4j.fingerprint`).
FINGERPRINT_NODES = """
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
"""

#: Every relationship with its properties and the ids (or names) of its two ends.
FINGERPRINT_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, properties(r) AS props, coalesce(a.id, a.name) AS start, coalesce(b.id, b.name) AS end
"""

"""Everything that talks to Neo4j: connection settings, the managed local server, schema, loading."""

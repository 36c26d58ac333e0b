// Works per strategy: how many works address each preventive strategy (ADDRESSES).
MATCH (w:Work)-[:ADDRESSES]->(s:Strategy)
RETURN s.name AS strategy, s.iri AS iri, COUNT(w) AS works
ORDER BY works DESC, strategy

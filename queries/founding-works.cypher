// Founding works of theories: the work each theory was proposed in.
MATCH (t:Theory)-[:PROPOSED_IN]->(w:Work)
RETURN t.name AS theory, w.name AS work, w.year AS year, w.iri AS iri
ORDER BY theory, year, iri

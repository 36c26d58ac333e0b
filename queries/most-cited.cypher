// Most-cited works: works ranked by how many works in the graph cite them.
// @param limit = 20  how many works to list
MATCH (citing:Work)-[:CITES]->(w:Work)
RETURN w.iri AS iri, w.name AS work, w.year AS year, COUNT(citing) AS citations
ORDER BY citations DESC, work, iri
LIMIT $limit

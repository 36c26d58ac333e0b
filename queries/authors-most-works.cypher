// Authors with most works: people and organisations ranked by the works they authored.
// @param limit = 20  how many authors to list
MATCH (a:Person|Organization)-[:AUTHORED]->(w:Work)
RETURN a.iri AS iri, a.name AS author, COUNT(w) AS works
ORDER BY works DESC, author, iri
LIMIT $limit

// Top co-cited pairs: works cited together by the same citing works, ranked by how often.
// @param limit = 20  how many pairs to list
MATCH (a:Work)<-[:CITES]-(citing:Work)-[:CITES]->(b:Work)
WHERE a.iri < b.iri
WITH a, b, count(DISTINCT citing) AS together
RETURN a.name AS work, b.name AS cocited, together
ORDER BY together DESC, work, cocited
LIMIT $limit

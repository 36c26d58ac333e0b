// Co-authorship pairs: authors who wrote works together, with how many.
// @param limit = 50  how many pairs to list
MATCH (a:Person|Organization)-[:AUTHORED]->(w:Work)<-[:AUTHORED]-(b:Person|Organization)
WHERE a.iri < b.iri
RETURN a.name AS author, b.name AS coauthor, COUNT(w) AS works
ORDER BY works DESC, author, coauthor
LIMIT $limit

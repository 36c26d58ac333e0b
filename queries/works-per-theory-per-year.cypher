// Works per theory per year: how the use of each theory spreads over time.
MATCH (w:Work)-[:USES_THEORY]->(t:Theory)
WHERE w.year IS NOT NULL
WITH t.name AS theory, w.year AS year, count(w) AS works
RETURN theory, year, works
ORDER BY theory, year

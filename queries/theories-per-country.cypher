// Theories used per country: which theories the works studying each place draw on.
MATCH (p:Country|Region)<-[:STUDIES]-(w:Work)-[:USES_THEORY]->(t:Theory)
RETURN p.name AS place, t.name AS theory, COUNT(w) AS works
ORDER BY place, works DESC, theory

// Works per country: how many works study each country or region (STUDIES).
MATCH (w:Work)-[:STUDIES]->(p:Country|Region)
RETURN p.name AS place, p.iso2 AS iso2, COUNT(w) AS works
ORDER BY works DESC, place

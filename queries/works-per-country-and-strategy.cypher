// Works per country and strategy: which strategies are studied where, counted in works.
MATCH (p:Country|Region)<-[:STUDIES]-(w:Work)-[:ADDRESSES]->(s:Strategy)
RETURN p.name AS place, s.name AS strategy, COUNT(w) AS works
ORDER BY works DESC, place, strategy

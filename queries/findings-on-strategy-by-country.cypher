// Findings on a strategy by country: what works report about a strategy, and where.
// @param strategy  the strategy's name (any case) or IRI, e.g. "Community participation"
MATCH (w:Work)-[:REPORTS]->(f:Finding)-[:ABOUT]->(s:Strategy)
MATCH (f)-[:IN]->(p:Country|Region)
WHERE toLower(s.name) = toLower($strategy) OR s.iri = $strategy
RETURN p.name AS place, f.claim AS claim, w.name AS work, f.line AS line
ORDER BY place, line, claim, work

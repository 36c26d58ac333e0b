// Flagged citations: in-text citations matched to their reference inexactly
// (year_mismatch, spelling_mismatch, order_swapped), to check by hand.
MATCH (a:Work)-[c:CITES]->(b:Work)
WHERE size(c.flags) > 0
RETURN a.name AS citing, b.name AS cited, c.flags AS flags, c.count AS occurrences, b.iri AS iri
ORDER BY citing, cited, iri

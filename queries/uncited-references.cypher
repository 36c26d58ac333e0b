// Uncited references: works read from a reference list that no work in the graph cites
// (a review lists them but never cites them in its text). Theories' founding works are
// left out: they come from the ontology, see founding-works.
MATCH (w:Work)
WHERE size(w.references) > 0 AND NOT EXISTS { MATCH (w)<-[:CITES]-(:Work) } AND NOT EXISTS { MATCH (w)<-[:PROPOSED_IN]-(:Theory) }
RETURN w.iri AS iri, w.name AS work, w.year AS year
ORDER BY work, iri

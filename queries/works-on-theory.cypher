// Works on a theory: the works that use a theory, newest first.
// @param theory  the theory's name (any case) or IRI, e.g. "Routine activity theory"
MATCH (w:Work)-[:USES_THEORY]->(t:Theory)
WHERE toLower(t.name) = toLower($theory) OR t.iri = $theory
RETURN w.iri AS iri, w.name AS work, w.year AS year
ORDER BY year DESC, work, iri

// Most-cited works on a theory: works that use the theory, ranked by citations received.
// @param theory  the theory's name (any case) or IRI, e.g. "Routine activity theory"
// @param limit = 20  how many works to list
MATCH (t:Theory)<-[:USES_THEORY]-(w:Work)<-[:CITES]-(citing:Work)
WHERE toLower(t.name) = toLower($theory) OR t.iri = $theory
RETURN w.iri AS iri, w.name AS work, w.year AS year, COUNT(citing) AS citations
ORDER BY citations DESC, work, iri
LIMIT $limit

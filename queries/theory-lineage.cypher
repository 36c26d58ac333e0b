// Theory lineage: the theories a theory derives from, following DERIVES_FROM up to $depth steps.
// @param theory  the theory's name (any case) or IRI, e.g. "Situational crime prevention"
// @param depth = 3  how many generations to follow (an integer, written into the pattern)
MATCH (t:Theory)-[:DERIVES_FROM*1..$depth]->(ancestor:Theory)
WHERE toLower(t.name) = toLower($theory) OR t.iri = $theory
RETURN DISTINCT ancestor.iri AS iri, ancestor.name AS ancestor
ORDER BY ancestor, iri

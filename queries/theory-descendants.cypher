// Theory descendants: the theories that derive from a theory, up to $depth steps down.
// @param theory  the theory's name (any case) or IRI, e.g. "Social disorganization theory"
// @param depth = 3  how many generations to follow (an integer, written into the pattern)
MATCH (descendant:Theory)-[:DERIVES_FROM*1..$depth]->(t:Theory)
WHERE toLower(t.name) = toLower($theory) OR t.iri = $theory
RETURN DISTINCT descendant.iri AS iri, descendant.name AS descendant
ORDER BY descendant, iri

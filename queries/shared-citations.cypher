// Citations shared by two works: the works that both $a and $b cite (bibliographic coupling).
// @param a  the first citing work: IRI or exact name/title (any case)
// @param b  the second citing work: IRI or exact name/title (any case)
MATCH (x:Work)-[:CITES]->(w:Work)<-[:CITES]-(y:Work)
WHERE (x.iri = $a OR toLower(x.name) = toLower($a)) AND (y.iri = $b OR toLower(y.name) = toLower($b))
RETURN DISTINCT w.iri AS iri, w.name AS work, w.year AS year
ORDER BY work, iri

// Who cites a work: the works citing it, with the sentences the citations occur in.
// @param work  the cited work: IRI or exact name/title (any case)
MATCH (a:Work)-[c:CITES]->(b:Work)
WHERE b.iri = $work OR toLower(b.name) = toLower($work)
RETURN a.iri AS iri, a.name AS citing, c.count AS occurrences, c.contexts AS contexts
ORDER BY citing, iri

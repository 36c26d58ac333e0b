// Theories without findings: theories no reported finding is about, with how many works
// use each (a gap in the evidence).
MATCH (t:Theory)
OPTIONAL MATCH (t)<-[:USES_THEORY]-(w:Work)
WITH t, count(DISTINCT w) AS works
WHERE NOT EXISTS { MATCH (t)<-[:ABOUT]-(:Finding) }
RETURN t.name AS theory, works
ORDER BY works DESC, theory

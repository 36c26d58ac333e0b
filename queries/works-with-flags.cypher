// Works with flags: each flag a work carries (conflicting sources, inexact matches), one
// row per work and flag, so they can be checked by hand.
// @param limit = 100  how many rows to list
MATCH (w:Work)
WHERE size(w.flags) > 0
UNWIND w.flags AS flag
RETURN flag, w.name AS work, w.iri AS iri
ORDER BY flag, work, iri
LIMIT $limit

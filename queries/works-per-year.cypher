// Works per year: how many works in the graph were published each year.
MATCH (w:Work)
WHERE w.year IS NOT NULL
RETURN w.year AS year, COUNT(w) AS works
ORDER BY year

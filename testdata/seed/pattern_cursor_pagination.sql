-- Pattern: Cursor-based pagination for large datasets
SELECT * FROM documents
WHERE user_id = $1
AND created_at < $2
ORDER BY created_at DESC
LIMIT 20;
-- Avoid: OFFSET-based pagination (performance degrades with size)
-- Don't: SELECT * FROM documents OFFSET 1000 LIMIT 20;

-- Pattern: Efficient JSONB queries with indexes
CREATE INDEX CONCURRENTLY idx_documents_content_metadata
ON documents USING GIN((content -> 'metadata'));
-- Efficient JSON queries
SELECT * FROM documents
WHERE content @> '{"type": "script"}'
AND user_id = $1;

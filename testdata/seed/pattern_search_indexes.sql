-- Pattern: GIN indexes for full-text search
CREATE INDEX CONCURRENTLY idx_content_search
ON knowledge_files USING GIN(content_vector);
-- Pattern: Partial indexes for common filters
CREATE INDEX CONCURRENTLY idx_user_documents_recent
ON documents(user_id, updated_at DESC)
WHERE updated_at > now() - interval '30 days';

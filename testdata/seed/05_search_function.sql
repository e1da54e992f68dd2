CREATE OR REPLACE FUNCTION search_knowledge_files(
search_query text,
user_uuid uuid
)
RETURNS TABLE (
id uuid,
filename text,
content text,
relevance real
) AS $$
BEGIN
RETURN QUERY
SELECT
kf.id,
kf.filename,
substring(kf.content, 1, 200) as content,
ts_rank(kf.content_vector, plainto_tsquery('english', search_query)) as relevance
FROM knowledge_files kf
WHERE
kf.user_id = user_uuid
AND kf.content_vector @@ plainto_tsquery('english', search_query)
ORDER BY relevance DESC
LIMIT 10;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER;

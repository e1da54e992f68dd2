-- Knowledge files with full-text search optimization
CREATE TABLE knowledge_files (
id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
filename text NOT NULL,
file_type text NOT NULL CHECK (file_type IN ('pdf', 'docx', 'txt')),
content text, -- Extracted and indexed content
content_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
scope text DEFAULT 'global' CHECK (scope IN ('global', 'document')),
file_size integer CHECK (file_size <= 10485760), -- 10MB limit
user_id uuid REFERENCES auth.users(id) NOT NULL,
document_id uuid REFERENCES documents(id), -- For document-scoped files
metadata jsonb DEFAULT '{}', -- File processing metadata
created_at timestamptz DEFAULT now(),
-- Search performance indexes
CONSTRAINT knowledge_files_filename_length CHECK (length(filename) <= 255)
);
-- Full-text search index for fast content searching
CREATE INDEX idx_knowledge_files_search ON knowledge_files USING GIN(content_vector);
CREATE INDEX idx_knowledge_files_user_scope ON knowledge_files(user_id, scope);
CREATE INDEX idx_knowledge_files_document ON knowledge_files(document_id) WHERE document_id IS NOT NULL;

-- V1 Schema (your implementation and optimization)
CREATE TABLE documents (
id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
title text NOT NULL,
content jsonb, -- Rich text JSON from Tiptap
user_id uuid REFERENCES auth.users(id) NOT NULL,
project_id uuid, -- Prepared for V2 hierarchy
document_type text DEFAULT 'script' CHECK (document_type IN ('script', 'notes', 'treatment')),
auto_save_version integer DEFAULT 1,
export_settings jsonb DEFAULT '{}',
word_count integer GENERATED ALWAYS AS (
CASE
WHEN content IS NULL THEN 0
ELSE length(regexp_replace(content::text, '<[^>]*>', '', 'g'))::integer / 5
END
) STORED,
created_at timestamptz DEFAULT now(),
updated_at timestamptz DEFAULT now(),
-- Performance indexes (your optimization)
CONSTRAINT documents_title_length CHECK (length(title) <= 200)
);
-- Optimized indexes for V1 queries
CREATE INDEX idx_documents_user_id ON documents(user_id);
CREATE INDEX idx_documents_updated_at ON documents(updated_at DESC);
CREATE INDEX idx_documents_user_type ON documents(user_id, document_type);
-- Auto-update timestamp trigger
CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
NEW.updated_at = now();
RETURN NEW;
END;
$$ language 'plpgsql';
CREATE TRIGGER update_documents_updated_at BEFORE UPDATE ON documents
FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

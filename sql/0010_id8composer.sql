-- ID8COMPOSER: screenplay documents, knowledge files with full-text search, ARC sessions.
-- From the application's schema description, with two defects fixed (see the comments at
-- update_last_activity_column and search_knowledge_files).

CREATE TABLE public.documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  content jsonb, -- rich text JSON from Tiptap
  user_id uuid REFERENCES auth.users(id) NOT NULL,
  project_id uuid, -- prepared for a project hierarchy
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
  CONSTRAINT documents_title_length CHECK (length(title) <= 200)
);
CREATE INDEX idx_documents_user_id ON public.documents(user_id);
CREATE INDEX idx_documents_updated_at ON public.documents(updated_at DESC);
CREATE INDEX idx_documents_user_type ON public.documents(user_id, document_type);
-- Cursor pagination (user_id = U AND created_at < T ORDER BY created_at DESC).
CREATE INDEX idx_documents_user_created ON public.documents(user_id, created_at DESC);
-- JSONB containment on content (content @> '{"type":"script"}').
CREATE INDEX idx_documents_content ON public.documents USING GIN (content jsonb_path_ops);

CREATE OR REPLACE FUNCTION public.update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_documents_updated_at BEFORE UPDATE ON public.documents
FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

CREATE TABLE public.knowledge_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  filename text NOT NULL,
  file_type text NOT NULL CHECK (file_type IN ('pdf', 'docx', 'txt')),
  content text, -- extracted text
  content_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
  scope text DEFAULT 'global' CHECK (scope IN ('global', 'document')),
  file_size integer CHECK (file_size <= 10485760), -- 10 MB
  user_id uuid REFERENCES auth.users(id) NOT NULL,
  document_id uuid REFERENCES public.documents(id),
  metadata jsonb DEFAULT '{}',
  created_at timestamptz DEFAULT now(),
  CONSTRAINT knowledge_files_filename_length CHECK (length(filename) <= 255)
);
CREATE INDEX idx_knowledge_files_search ON public.knowledge_files USING GIN(content_vector);
CREATE INDEX idx_knowledge_files_user_scope ON public.knowledge_files(user_id, scope);
CREATE INDEX idx_knowledge_files_document ON public.knowledge_files(document_id) WHERE document_id IS NOT NULL;

CREATE TABLE public.arc_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  exploration_method text NOT NULL CHECK (
    exploration_method IN ('story_brainstorm', 'character_development', 'scene_structure')
  ),
  conversation_history jsonb DEFAULT '[]',
  context_files uuid[] DEFAULT '{}', -- ids of knowledge_files
  session_metadata jsonb DEFAULT '{}',
  user_id uuid REFERENCES auth.users(id) NOT NULL,
  last_activity timestamptz DEFAULT now(),
  created_at timestamptz DEFAULT now(),
  CONSTRAINT arc_sessions_history_size CHECK (jsonb_array_length(conversation_history) <= 100)
);
CREATE INDEX idx_arc_sessions_user_activity ON public.arc_sessions(user_id, last_activity DESC);
CREATE INDEX idx_arc_sessions_method ON public.arc_sessions(user_id, exploration_method);

-- Fix 1: the original reused update_updated_at_column() here, but arc_sessions has no
-- updated_at column, so every UPDATE failed with: record "new" has no field "updated_at".
CREATE OR REPLACE FUNCTION public.update_last_activity_column()
RETURNS TRIGGER AS $$
BEGIN
  NEW.last_activity = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER update_arc_sessions_activity BEFORE UPDATE ON public.arc_sessions
FOR EACH ROW EXECUTE FUNCTION public.update_last_activity_column();

-- Fix 2: the original was SECURITY DEFINER and trusted user_uuid, so any signed-in user
-- could read another user's files. Same signature and result; it now answers only for the
-- caller's own user id (service_role may search any user).
CREATE OR REPLACE FUNCTION public.search_knowledge_files(
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
  IF user_uuid IS DISTINCT FROM auth.uid() AND coalesce(auth.role(), '') <> 'service_role' THEN
    RETURN;
  END IF;
  RETURN QUERY
  SELECT
    kf.id,
    kf.filename,
    substring(kf.content, 1, 200) AS content,
    ts_rank(kf.content_vector, plainto_tsquery('english', search_query)) AS relevance
  FROM public.knowledge_files kf
  WHERE
    kf.user_id = user_uuid
    AND kf.content_vector @@ plainto_tsquery('english', search_query)
  ORDER BY relevance DESC
  LIMIT 10;
END;
$$ LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public;

GRANT ALL ON public.documents, public.knowledge_files, public.arc_sessions TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.search_knowledge_files(text, uuid) TO anon, authenticated, service_role;

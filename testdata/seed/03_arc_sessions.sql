-- ARC conversation storage with efficient retrieval
CREATE TABLE arc_sessions (
id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
exploration_method text NOT NULL CHECK (
exploration_method IN ('story_brainstorm', 'character_development', 'scene_structure')
),
conversation_history jsonb DEFAULT '[]',
context_files uuid[] DEFAULT '{}', -- References to knowledge_files
session_metadata jsonb DEFAULT '{}', -- AI model version, settings, etc.
user_id uuid REFERENCES auth.users(id) NOT NULL,
last_activity timestamptz DEFAULT now(),
created_at timestamptz DEFAULT now(),
-- Query optimization constraints
CONSTRAINT arc_sessions_history_size CHECK (jsonb_array_length(conversation_history) <= 100)
);
-- Indexes for efficient session retrieval
CREATE INDEX idx_arc_sessions_user_activity ON arc_sessions(user_id, last_activity DESC);
CREATE INDEX idx_arc_sessions_method ON arc_sessions(user_id, exploration_method);
-- Update last activity trigger
CREATE TRIGGER update_arc_sessions_activity BEFORE UPDATE ON arc_sessions
FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- RLS policies for data security (your security implementation)
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their documents"
ON documents FOR ALL
USING (auth.uid() = user_id)
WITH CHECK (auth.uid() = user_id);
ALTER TABLE knowledge_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their files"
ON knowledge_files FOR ALL
USING (auth.uid() = user_id)
WITH CHECK (auth.uid() = user_id);
ALTER TABLE arc_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their ARC sessions"
ON arc_sessions FOR ALL
USING (auth.uid() = user_id)
WITH CHECK (auth.uid() = user_id);

-- Each user sees and writes only their own rows. The policies are the application's; the
-- uid lookup is wrapped in a sub-select so PostgreSQL evaluates it once per statement
-- instead of once per row (Supabase's RLS performance guidance), with the same meaning.
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their documents"
ON public.documents FOR ALL
USING ((SELECT auth.uid()) = user_id)
WITH CHECK ((SELECT auth.uid()) = user_id);

ALTER TABLE public.knowledge_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their files"
ON public.knowledge_files FOR ALL
USING ((SELECT auth.uid()) = user_id)
WITH CHECK ((SELECT auth.uid()) = user_id);

ALTER TABLE public.arc_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can only access their ARC sessions"
ON public.arc_sessions FOR ALL
USING ((SELECT auth.uid()) = user_id)
WITH CHECK ((SELECT auth.uid()) = user_id);

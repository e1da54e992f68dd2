-- A knowledge file may point only at a document its owner can see. Foreign-key checks
-- bypass RLS, so under the original policy a user could attach a file to another user's
-- document: learning that the document exists (201 rather than 409), and blocking its
-- owner from deleting it (the reference makes the DELETE fail with 23503). The sub-select
-- runs under the caller's own RLS, so it sees only the caller's documents (service_role,
-- which bypasses RLS, may link any).
DROP POLICY "Users can only access their files" ON public.knowledge_files;
CREATE POLICY "Users can only access their files"
ON public.knowledge_files FOR ALL
USING ((SELECT auth.uid()) = user_id)
WITH CHECK (
  (SELECT auth.uid()) = user_id
  AND (document_id IS NULL OR EXISTS (SELECT 1 FROM public.documents d WHERE d.id = document_id))
);

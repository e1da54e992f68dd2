-- Schema cache reload after DDL. Two event triggers send NOTIFY pgrst, 'reload schema'
-- when a DDL command finishes or objects are dropped, so the server (LISTEN pgrst) picks
-- up new tables, views and functions without anyone asking. Supabase installs a pair of
-- the same names; the functions here are our own. The channel is fixed at pgrst: a server
-- configured with another PGRST_DB_CHANNEL does not hear these.
CREATE OR REPLACE FUNCTION extensions.pgrst_ddl_watch() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Temporary objects are never served, so DDL on them alone does not reload.
  IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() AS c
             WHERE c.schema_name IS DISTINCT FROM 'pg_temp') THEN
    PERFORM pg_notify('pgrst', 'reload schema');
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION extensions.pgrst_drop_watch() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() AS o WHERE NOT o.is_temporary) THEN
    PERFORM pg_notify('pgrst', 'reload schema');
  END IF;
END
$$;

DROP EVENT TRIGGER IF EXISTS pgrst_ddl_watch;
CREATE EVENT TRIGGER pgrst_ddl_watch ON ddl_command_end
  EXECUTE FUNCTION extensions.pgrst_ddl_watch();

DROP EVENT TRIGGER IF EXISTS pgrst_drop_watch;
CREATE EVENT TRIGGER pgrst_drop_watch ON sql_drop
  EXECUTE FUNCTION extensions.pgrst_drop_watch();

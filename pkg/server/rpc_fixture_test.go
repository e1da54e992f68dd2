package server_test

// rpcFixture are the functions the RPC tests call, modelled on PostgREST's own test
// fixtures, plus a table to return rows from.
const rpcFixture = `
CREATE TABLE public.items (id int PRIMARY KEY);
INSERT INTO public.items SELECT generate_series(1, 15);
CREATE TABLE public.clients (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO public.clients VALUES (1, 'Microsoft'), (2, 'Apple');
CREATE TABLE public.projects (id int PRIMARY KEY, name text NOT NULL, client_id int REFERENCES public.clients(id));
INSERT INTO public.projects VALUES (1, 'Windows 7', 1), (2, 'Windows 10', 1), (3, 'IOS', 2), (4, 'OSX', 2), (5, 'Orphan', NULL);
CREATE SEQUENCE public.callcounter_seq;
CREATE TYPE public.point_2d AS (x int, y int);

CREATE FUNCTION public.add_them(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION public.sayhello(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'Hello, ' || name $$;
CREATE FUNCTION public.ret_null() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::int $$;
CREATE FUNCTION public.ret_array() RETURNS int[] LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY[1, 2, 3] $$;
CREATE FUNCTION public.ret_json() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT '{"a": [1, 2], "b": null}'::jsonb $$;
CREATE FUNCTION public.getitemrange(min int, max int) RETURNS SETOF public.items LANGUAGE sql STABLE AS
  $$ SELECT * FROM public.items WHERE id > min AND id <= max ORDER BY id $$;
CREATE FUNCTION public.get_projects_below(id int) RETURNS SETOF public.projects LANGUAGE sql STABLE AS
  $$ SELECT * FROM public.projects p WHERE p.id < get_projects_below.id ORDER BY p.id $$;
CREATE FUNCTION public.ret_setof_integers() RETURNS SETOF int LANGUAGE sql IMMUTABLE AS $$ VALUES (1), (2), (3) $$;
CREATE FUNCTION public.ret_point_2d() RETURNS public.point_2d LANGUAGE sql IMMUTABLE AS $$ SELECT ROW(10, 5)::public.point_2d $$;
CREATE FUNCTION public.single_project(id int) RETURNS public.projects LANGUAGE sql STABLE AS
  $$ SELECT * FROM public.projects p WHERE p.id = single_project.id $$;
CREATE FUNCTION public.project_names(prefix text DEFAULT '') RETURNS TABLE(project_id int, project_name text) LANGUAGE sql STABLE AS
  $$ SELECT id, name FROM public.projects WHERE name LIKE prefix || '%' ORDER BY id $$;
CREATE FUNCTION public.out_params(a int, OUT doubled int, OUT label text) LANGUAGE sql IMMUTABLE AS
  $$ SELECT a * 2, 'n' || a $$;
CREATE FUNCTION public.ret_void() RETURNS void LANGUAGE sql AS $$ $$;
CREATE FUNCTION public.variadic_param(VARIADIC v text[] DEFAULT '{}') RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ SELECT v $$;
CREATE FUNCTION public.sum_ints(VARIADIC n int[]) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT sum(x)::int FROM unnest(n) x $$;
CREATE FUNCTION public.with_defaults(a int, b int DEFAULT 10, c text DEFAULT 'x') RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT a || '/' || b || '/' || c $$;
CREATE FUNCTION public.array_len(arr int[]) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT cardinality(arr) $$;
CREATE FUNCTION public.json_arg(doc jsonb, k text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT doc -> k $$;
CREATE FUNCTION public.overloaded() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'none' $$;
CREATE FUNCTION public.overloaded(a int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'int ' || a $$;
CREATE FUNCTION public.overloaded(a text, b int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'text ' || a || b $$;
CREATE FUNCTION public.overloaded_same_args(arg int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'int' $$;
CREATE FUNCTION public.overloaded_same_args(arg text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'text' $$;
CREATE FUNCTION public.overloaded_same_args(arg text, num int DEFAULT 1) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'text int' $$;
CREATE FUNCTION public.unnamed_json(json) RETURNS json LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;
CREATE FUNCTION public.unnamed_text(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;
CREATE FUNCTION public.unnamed_bytea(bytea) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT length($1) $$;
CREATE FUNCTION public.unnamed_int(int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;
CREATE FUNCTION public.named_json(payload json) RETURNS json LANGUAGE sql IMMUTABLE AS $$ SELECT payload $$;
CREATE FUNCTION public.callcounter() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('public.callcounter_seq') $$;
CREATE FUNCTION public.add_item(id int) RETURNS SETOF public.items LANGUAGE sql AS
  $$ INSERT INTO public.items VALUES (id) RETURNING * $$;
CREATE FUNCTION public.add_items(ids int[]) RETURNS SETOF public.items LANGUAGE sql AS
  $$ INSERT INTO public.items SELECT unnest(ids) RETURNING * $$;
CREATE FUNCTION public.add_item_scalar(id int) RETURNS int LANGUAGE sql AS
  $$ INSERT INTO public.items VALUES (id) RETURNING id $$;
CREATE FUNCTION public.stable_counter() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT nextval('public.callcounter_seq') $$;
CREATE FUNCTION public.raise_exception() RETURNS void LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'something went wrong' USING DETAIL = 'the detail', HINT = 'the hint'; END $$;
CREATE FUNCTION public.raise_pt402() RETURNS void LANGUAGE plpgsql AS
  $$ BEGIN RAISE SQLSTATE 'PT402' USING MESSAGE = 'Payment Required', DETAIL = 'Quota exceeded', HINT = 'Upgrade your plan'; END $$;
CREATE FUNCTION public.raise_pt418() RETURNS void LANGUAGE plpgsql AS
  $$ BEGIN RAISE SQLSTATE 'PT418' USING MESSAGE = 'Short and stout'; END $$;
CREATE FUNCTION public.raise_sqlstate_custom() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
  RAISE SQLSTATE 'PGRST' USING
    MESSAGE = '{"code":"123","message":"ABC","details":"DEF","hint":"XYZ"}',
    DETAIL = '{"status":332,"status_text":"My Custom Status","headers":{"X-Header":"str"}}';
END $$;
CREATE FUNCTION public.raise_sqlstate_bad_message() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
  RAISE SQLSTATE 'PGRST' USING MESSAGE = 'not json', DETAIL = '{"status":400,"headers":{}}';
END $$;
CREATE FUNCTION public.raise_insert_then_fail(id int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN
  INSERT INTO public.items VALUES (id);
  RAISE EXCEPTION 'after the insert';
END $$;
CREATE FUNCTION public.set_cookie_twice() RETURNS void LANGUAGE sql AS $$
  SELECT set_config('response.headers',
    '[{"Set-Cookie": "sessionid=38afes7a8; HttpOnly; Path=/"}, {"Set-Cookie": "id=a3fWa; Secure; HttpOnly"}]', true) $$;
CREATE FUNCTION public.teapot() RETURNS text LANGUAGE sql AS $$
  SELECT 'short and stout' FROM (SELECT set_config('response.status', '418', true)) s $$;
CREATE FUNCTION public.created_with_location() RETURNS text LANGUAGE plpgsql AS $$ BEGIN
  PERFORM set_config('response.status', '201', true);
  PERFORM set_config('response.headers', '[{"Location": "/items?id=eq.99"}, {"Content-Type": "application/custom+json"}]', true);
  RETURN 'made';
END $$;
CREATE FUNCTION public.bad_guc_headers() RETURNS void LANGUAGE sql AS $$
  SELECT set_config('response.headers', '{"X-Bad": 1}', true) $$;
CREATE FUNCTION public.send_bad_status() RETURNS void LANGUAGE sql AS $$
  SELECT set_config('response.status', 'bad', true) $$;
CREATE FUNCTION public.my_uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT auth.uid() $$;
CREATE FUNCTION public.read_only_state() RETURNS text LANGUAGE sql AS $$ SELECT current_setting('transaction_read_only') $$;
CREATE FUNCTION public.read_only_state_stable() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('transaction_read_only') $$;
CREATE FUNCTION public.timeout_setting() RETURNS text LANGUAGE sql STABLE SET statement_timeout = '4321ms' AS
  $$ SELECT current_setting('statement_timeout') $$;
CREATE FUNCTION public.char_arg(c character(5)) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT '[' || c::text || ']' $$;
`

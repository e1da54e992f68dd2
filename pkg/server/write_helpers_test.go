package server_test

import "testing"

// writeFixtures are small tables in the spirit of PostgREST's test schema.
const writeFixtures = `
CREATE TABLE public.items (id integer PRIMARY KEY, name text, qty integer DEFAULT 5 CHECK (qty >= 0), note text DEFAULT 'n/a');
INSERT INTO public.items(id, name) SELECT g, 'item ' || g FROM generate_series(1, 15) g;
CREATE TABLE public.clients (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO public.clients VALUES (1, 'Microsoft'), (2, 'Apple');
CREATE TABLE public.projects (id integer PRIMARY KEY, name text, client_id integer REFERENCES public.clients(id));
INSERT INTO public.projects VALUES (1, 'Windows 7', 1), (2, 'Windows 10', 1), (3, 'IOS', 2);
CREATE TABLE public.no_pk (a text, b text);
CREATE TABLE public.compound (k1 integer, k2 text, v text, PRIMARY KEY (k1, k2));
CREATE TABLE public.uniq (id serial PRIMARY KEY, code text UNIQUE NOT NULL, v text);
CREATE TABLE public.gen (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a integer, doubled integer GENERATED ALWAYS AS (a * 2) STORED);
CREATE TABLE public.deferred_fk (id integer PRIMARY KEY, client_id integer REFERENCES public.clients(id) DEFERRABLE INITIALLY DEFERRED);
`

func (e *env) svc() []string { return []string{"Authorization", "Bearer " + e.service} }

// svcWith joins the service-role Authorization header with more name, value pairs.
func (e *env) svcWith(h ...string) []string { return append(e.svc(), h...) }

// scalar runs a query as superuser and returns its single value as text.
func (e *env) scalar(t *testing.T, sql string, args ...any) string {
	t.Helper()
	var s *string
	e.db.QueryRow(t, sql, []any{&s}, args...)
	if s == nil {
		return "<null>"
	}
	return *s
}

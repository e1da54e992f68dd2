-- GET /films?select=id,title
-- Accept: text/csv
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", "pgrst_0"."title" AS "title"
  FROM "cat"."films" AS "pgrst_0")
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce((SELECT string_agg(k, ',')
  FROM json_object_keys(json_agg(_postgrest_t)->0) k), '') || E'\n' || coalesce(string_agg(substr(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), E'\n'), '') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

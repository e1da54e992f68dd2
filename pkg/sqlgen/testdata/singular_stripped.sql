-- GET /films?select=id,genre&id=eq.4
-- Accept: application/vnd.pgrst.object+json;nulls=stripped
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", "pgrst_0"."genre" AS "genre"
  FROM "cat"."films" AS "pgrst_0"
  WHERE "pgrst_0"."id" = $1)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_strip_nulls(json_agg(_postgrest_t)->0)::text, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "4"

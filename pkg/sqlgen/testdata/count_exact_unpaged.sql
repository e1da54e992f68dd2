-- GET /films?select=id
-- Prefer: count=exact
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id"
  FROM "cat"."films" AS "pgrst_0")
SELECT pg_catalog.count(_postgrest_t) AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

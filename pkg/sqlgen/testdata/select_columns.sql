-- GET /films?select=id,t:title,year::text&id=eq.1
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", "pgrst_0"."title" AS "t", CAST("pgrst_0"."year" AS text) AS "year"
  FROM "cat"."films" AS "pgrst_0"
  WHERE "pgrst_0"."id" = $1)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "1"

-- HEAD /films?select=id
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id"
  FROM "cat"."films" AS "pgrst_0")
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, NULL::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

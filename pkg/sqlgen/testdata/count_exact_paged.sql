-- GET /films?select=id,directors!inner()&limit=2&offset=1
-- Prefer: count=exact
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id"
  FROM "cat"."films" AS "pgrst_0"
  INNER JOIN LATERAL (SELECT NULL::text AS pgrst_empty
  FROM "cat"."directors" AS "pgrst_1"
  WHERE "pgrst_1"."id" = "pgrst_0"."director_id") AS "pgrst_1_e" ON TRUE
  LIMIT $1 OFFSET $2)
SELECT (SELECT pg_catalog.count(*)
  FROM (SELECT 1
  FROM "cat"."films" AS "pgrst_0"
  INNER JOIN LATERAL (SELECT NULL::text AS pgrst_empty
  FROM "cat"."directors" AS "pgrst_1"
  WHERE "pgrst_1"."id" = "pgrst_0"."director_id") AS "pgrst_1_e" ON TRUE) pgrst_source_count) AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "2"
-- $2 = "1"

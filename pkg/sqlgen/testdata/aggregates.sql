-- GET /films?select=director_id,count(),year.sum()::text,...directors(name)
WITH pgrst_source AS (SELECT "pgrst_0"."director_id" AS "director_id", pg_catalog.count(*) AS "count", sum("pgrst_0"."year")::text AS "sum", "pgrst_1_e"."name" AS "name"
  FROM "cat"."films" AS "pgrst_0"
  LEFT JOIN LATERAL (SELECT "pgrst_1"."name" AS "name"
  FROM "cat"."directors" AS "pgrst_1"
  WHERE "pgrst_1"."id" = "pgrst_0"."director_id") AS "pgrst_1_e" ON TRUE
  GROUP BY "pgrst_0"."director_id", "pgrst_1_e"."name")
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

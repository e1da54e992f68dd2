-- GET /directors?select=name,...films(title,year),...mentor_id(mentor:name)&films.order=year
WITH pgrst_source AS (SELECT "pgrst_0"."name" AS "name", "pgrst_1_e"."title" AS "title", "pgrst_1_e"."year" AS "year", "pgrst_2_e"."mentor" AS "mentor"
  FROM "cat"."directors" AS "pgrst_0"
  LEFT JOIN LATERAL (SELECT COALESCE(json_agg("pgrst_1_e_t"."title")::jsonb, '[]') AS "title", COALESCE(json_agg("pgrst_1_e_t"."year")::jsonb, '[]') AS "year", pg_catalog.count(*) > 0 AS "pgrst_1_e"
  FROM (SELECT "pgrst_1"."title" AS "title", "pgrst_1"."year" AS "year"
  FROM "cat"."films" AS "pgrst_1"
  WHERE "pgrst_1"."director_id" = "pgrst_0"."id"
  ORDER BY "pgrst_1"."year") AS "pgrst_1_e_t") AS "pgrst_1_e" ON TRUE
  LEFT JOIN LATERAL (SELECT "pgrst_2"."name" AS "mentor"
  FROM "cat"."directors" AS "pgrst_2"
  WHERE "pgrst_2"."id" = "pgrst_0"."mentor_id") AS "pgrst_2_e" ON TRUE)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

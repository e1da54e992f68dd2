-- GET /films?select=id,directors!inner(name),actors(),posters()&or=(actors.is.null,posters.not.is.null)
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", row_to_json("pgrst_1_e".*)::jsonb AS "directors"
  FROM "cat"."films" AS "pgrst_0"
  INNER JOIN LATERAL (SELECT "pgrst_1"."name" AS "name"
  FROM "cat"."directors" AS "pgrst_1"
  WHERE "pgrst_1"."id" = "pgrst_0"."director_id") AS "pgrst_1_e" ON TRUE
  LEFT JOIN LATERAL (SELECT json_agg("pgrst_2_e_t")::jsonb AS "pgrst_2_e"
  FROM (SELECT NULL::text AS pgrst_empty
  FROM "cat"."actors" AS "pgrst_2"
  JOIN "cat"."roles" AS "pgrst_3" ON "pgrst_3"."actor_id" = "pgrst_2"."id"
  WHERE "pgrst_3"."film_id" = "pgrst_0"."id") AS "pgrst_2_e_t") AS "pgrst_2_e" ON TRUE
  LEFT JOIN LATERAL (SELECT NULL::text AS pgrst_empty
  FROM "cat"."posters" AS "pgrst_4"
  WHERE "pgrst_4"."film_id" = "pgrst_0"."id") AS "pgrst_4_e" ON TRUE
  WHERE ("pgrst_2_e"."pgrst_2_e" IS NULL OR row_to_json("pgrst_4_e".*) IS NOT NULL))
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

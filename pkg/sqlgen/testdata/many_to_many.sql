-- GET /films?select=id,actors(name)&actors.name=neq.Ann
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", COALESCE("pgrst_1_e"."pgrst_1_e", '[]') AS "actors"
  FROM "cat"."films" AS "pgrst_0"
  LEFT JOIN LATERAL (SELECT json_agg("pgrst_1_e_t")::jsonb AS "pgrst_1_e"
  FROM (SELECT "pgrst_1"."name" AS "name"
  FROM "cat"."actors" AS "pgrst_1"
  JOIN "cat"."roles" AS "pgrst_2" ON "pgrst_2"."actor_id" = "pgrst_1"."id"
  WHERE "pgrst_2"."film_id" = "pgrst_0"."id" AND "pgrst_1"."name" <> $1) AS "pgrst_1_e_t") AS "pgrst_1_e" ON TRUE)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "Ann"

-- GET /directors?select=id,mentor:mentor_id(name),pupils:directors!mentor_id(name)
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", row_to_json("pgrst_1_e".*)::jsonb AS "mentor", COALESCE("pgrst_2_e"."pgrst_2_e", '[]') AS "pupils"
  FROM "cat"."directors" AS "pgrst_0"
  LEFT JOIN LATERAL (SELECT "pgrst_1"."name" AS "name"
  FROM "cat"."directors" AS "pgrst_1"
  WHERE "pgrst_1"."id" = "pgrst_0"."mentor_id") AS "pgrst_1_e" ON TRUE
  LEFT JOIN LATERAL (SELECT json_agg("pgrst_2_e_t")::jsonb AS "pgrst_2_e"
  FROM (SELECT "pgrst_2"."name" AS "name"
  FROM "cat"."directors" AS "pgrst_2"
  WHERE "pgrst_2"."mentor_id" = "pgrst_0"."id") AS "pgrst_2_e_t") AS "pgrst_2_e" ON TRUE)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

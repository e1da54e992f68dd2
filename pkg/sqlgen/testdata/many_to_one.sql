-- GET /films?select=id,directors(name)&order=directors(name).desc,id
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", row_to_json("pgrst_1_e".*)::jsonb AS "directors"
  FROM "cat"."films" AS "pgrst_0"
  LEFT JOIN LATERAL (SELECT "pgrst_1"."name" AS "name"
  FROM "cat"."directors" AS "pgrst_1"
  WHERE "pgrst_1"."id" = "pgrst_0"."director_id") AS "pgrst_1_e" ON TRUE
  ORDER BY "pgrst_1_e"."name" DESC, "pgrst_0"."id")
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t

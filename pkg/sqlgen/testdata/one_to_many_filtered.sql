-- GET /directors?select=id,films(id,title)&films.year=gt.2000&films.order=year.desc&films.limit=1&films.offset=1
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", COALESCE("pgrst_1_e"."pgrst_1_e", '[]') AS "films"
  FROM "cat"."directors" AS "pgrst_0"
  LEFT JOIN LATERAL (SELECT json_agg("pgrst_1_e_t")::jsonb AS "pgrst_1_e"
  FROM (SELECT "pgrst_1"."id" AS "id", "pgrst_1"."title" AS "title"
  FROM "cat"."films" AS "pgrst_1"
  WHERE "pgrst_1"."director_id" = "pgrst_0"."id" AND "pgrst_1"."year" > $1
  ORDER BY "pgrst_1"."year" DESC
  LIMIT $2 OFFSET $3) AS "pgrst_1_e_t") AS "pgrst_1_e" ON TRUE)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "2000"
-- $2 = "1"
-- $3 = "1"

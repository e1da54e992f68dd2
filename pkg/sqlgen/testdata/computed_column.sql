-- GET /films?select=id,age,label&age=gt.20&order=age.desc
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", "cat"."age"("pgrst_0") AS "age", "cat"."label"("pgrst_0") AS "label"
  FROM "cat"."films" AS "pgrst_0"
  WHERE "cat"."age"("pgrst_0") > $1
  ORDER BY "cat"."age"("pgrst_0") DESC)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "20"

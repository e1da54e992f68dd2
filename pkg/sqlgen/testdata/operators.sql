-- GET /films?select=id&year=gte.2000&title=like.*a*&genre=isdistinct.drama&tags=ov.{a,b}&shooting=adj.[2004-05-01,2004-06-01)&id=not.in.(1,2)&title=ilike(any).{a*,b*}&genre=is.null
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id"
  FROM "cat"."films" AS "pgrst_0"
  WHERE "pgrst_0"."year" >= $1 AND "pgrst_0"."title" LIKE $2 AND "pgrst_0"."genre" IS DISTINCT
  FROM $3 AND "pgrst_0"."tags" && $4 AND "pgrst_0"."shooting" -|- $5 AND NOT ("pgrst_0"."id" = ANY($6)) AND "pgrst_0"."title" ILIKE ANY($7) AND "pgrst_0"."genre" IS NULL)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "2000"
-- $2 = "%a%"
-- $3 = "drama"
-- $4 = "{a,b}"
-- $5 = "[2004-05-01,2004-06-01)"
-- $6 = "{\"1\",\"2\"}"
-- $7 = "{a%,b%}"

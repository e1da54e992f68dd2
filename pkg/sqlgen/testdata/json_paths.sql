-- GET /films?select=id,info->rating,info->>lang,info->awards->-1,tags->0&info->>lang=eq.en&order=info->rating.desc.nullslast
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id", "pgrst_0"."info"->$1::text AS "rating", "pgrst_0"."info"->>$2::text AS "lang", "pgrst_0"."info"->$3::text->$4::integer AS "awards", to_jsonb("pgrst_0"."tags")->$5::integer AS "tags"
  FROM "cat"."films" AS "pgrst_0"
  WHERE "pgrst_0"."info"->>$6::text = $7
  ORDER BY "pgrst_0"."info"->$8::text DESC NULLS LAST)
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "rating"
-- $2 = "lang"
-- $3 = "awards"
-- $4 = "-1"
-- $5 = "0"
-- $6 = "lang"
-- $7 = "en"
-- $8 = "rating"

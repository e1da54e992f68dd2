-- GET /films?select=id&synopsis_tsv=fts(english).night&synopsis=wfts(english).night%20-train&title=plfts.dark
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id"
  FROM "cat"."films" AS "pgrst_0"
  WHERE "pgrst_0"."synopsis_tsv" @@ to_tsquery($1::regconfig, $2) AND to_tsvector($3::regconfig, "pgrst_0"."synopsis") @@ websearch_to_tsquery($4::regconfig, $5) AND to_tsvector("pgrst_0"."title") @@ plainto_tsquery($6))
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "english"
-- $2 = "night"
-- $3 = "english"
-- $4 = "english"
-- $5 = "night -train"
-- $6 = "dark"

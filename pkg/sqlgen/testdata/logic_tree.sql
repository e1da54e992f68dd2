-- GET /films?select=id&or=(year.lt.2000,and(genre.eq.horror,year.not.gt.2005),info->>lang.eq.fr)
WITH pgrst_source AS (SELECT "pgrst_0"."id" AS "id"
  FROM "cat"."films" AS "pgrst_0"
  WHERE ("pgrst_0"."year" < $1 OR ("pgrst_0"."genre" = $2 AND NOT ("pgrst_0"."year" > $3)) OR "pgrst_0"."info"->>$4::text = $5))
SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) _postgrest_t
-- $1 = "2000"
-- $2 = "horror"
-- $3 = "2005"
-- $4 = "lang"
-- $5 = "fr"

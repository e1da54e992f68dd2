package server_test

import "testing"

func TestReadSelectForms(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		// every column, in attribute order; the empty select means the same
		{"/actors", nil, 200, rows(`{"id":1,"name":"Ann"}`, `{"id":2,"name":"Ben"}`, `{"id":3,"name":"Cat"}`)},
		{"/actors?select=&id=eq.1", nil, 200, `[{"id":1,"name":"Ann"}]`},
		// duplicates are kept, key order follows the select list
		{"/actors?select=name,*,name&id=eq.2", nil, 200, `[{"name":"Ben","id":2,"name":"Ben","name":"Ben"}]`},
		// aliases and casts (a cast keeps the column's name)
		{"/films?select=film:id,t:title,year::text&id=eq.1", nil, 200, `[{"film":1,"t":"Night Train","year":"1999"}]`},
		{"/films?select=id::text,year::numeric&id=eq.1", nil, 200, `[{"id":"1","year":1999}]`},
		// JSON paths: -> keeps JSON, ->> gives text, negative indexes count from the end;
		// the output is named after the last key
		{"/films?select=id,info->rating,info->>lang,info->awards->-1,last:info->awards->>-1&id=lt.3&order=id", nil, 200,
			rows(`{"id":1,"rating":8,"lang":"en","awards":"silver","last":"silver"}`,
				`{"id":2,"rating":6,"lang":"fr","awards":null,"last":null}`)},
		{"/films?select=id,info->awards->0::text&id=eq.1", nil, 200, `[{"id":1,"awards":"\"gold\""}]`},
		// a JSON path on a non-JSON column goes through to_jsonb
		{"/films?select=id,tags->0,tags->>-1&id=eq.3", nil, 200, `[{"id":3,"tags":"scary","tags":"night"}]`},
		// json and jsonb values are emitted as PostgreSQL renders them
		{"/films?select=info&id=eq.1", nil, 200, `[{"info":{"lang": "en", "awards": ["gold", "silver"], "rating": 8}}]`},
		// enums, arrays and ranges
		{"/films?select=genre,tags,shooting&id=eq.2", nil, 200, `[{"genre":"comedy","tags":["funny"],"shooting":"[2004-03-01,2004-05-01)"}]`},
		// computed columns: selected, aliased, cast, filtered and ordered like columns
		{"/films?select=id,age,l:label&order=age.desc&age=gt.10", nil, 200,
			rows(`{"id":1,"age":27,"l":"Night Train (1999)"}`, `{"id":2,"age":21,"l":"Laugh Lines (2005)"}`, `{"id":3,"age":16,"l":"Dark Hall (2010)"}`)},
		{"/films?select=age::text&id=eq.4", nil, 200, `[{"age":"6"}]`},
		// unknown columns: PostgreSQL's 42703
		{"/films?select=nope", nil, 400, `{"code":"42703","details":null,"hint":null,"message":"column films.nope does not exist"}`},
		{"/films?nope=eq.1", nil, 400, `{"code":"42703","details":null,"hint":null,"message":"column films.nope does not exist"}`},
		{"/films?order=nope", nil, 400, `{"code":"42703","details":null,"hint":null,"message":"column films.nope does not exist"}`},
		// bad casts are PostgreSQL's errors, not 500s
		{"/films?select=id::nosuchtype", nil, 400, `{"code":"42704","details":null,"hint":null,"message":"type \"nosuchtype\" does not exist"}`},
		// parse errors point at the offending text
		{"/films?select=data->>--34", nil, 400, `{"code":"PGRST100","details":"unexpected \"-\" expecting digit","hint":null,"message":"\"failed to parse select parameter (data->>--34)\" (line 1, column 9)"}`},
		{"/films?select=id,clients(name[])", nil, 400, `{"code":"PGRST100","details":"unexpected '[' expecting letter, digit, \"-\", \"->>\", \"->\", \"::\", \".\", \")\", \",\" or end of input","hint":null,"message":"\"failed to parse select parameter (id,clients(name[]))\" (line 1, column 16)"}`},
	})
}

func TestReadViewsAndUnknownTables(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		{"/recent_films?select=id,title&order=id", nil, 200, rows(`{"id":2,"title":"Laugh Lines"}`, `{"id":3,"title":"Dark Hall"}`, `{"id":4,"title":"Quiet Sea"}`)},
		{"/film", nil, 404, `{"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'cat.films'","message":"Could not find the table 'cat.film' in the schema cache"}`},
		{"/zzzzzz", nil, 404, `{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'cat.zzzzzz' in the schema cache"}`},
	})
}

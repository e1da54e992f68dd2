package server_test

import "testing"

func TestReadFilterOperators(t *testing.T) {
	e := startCat(t)
	ids := func(ids ...string) string {
		objs := make([]string, len(ids))
		for i, id := range ids {
			objs[i] = `{"id":` + id + `}`
		}
		return rows(objs...)
	}
	none := "[]"
	e.run(t, []readCase{
		{"/films?select=id&id=eq.2", nil, 200, ids("2")},
		{"/films?select=id&id=neq.2&order=id", nil, 200, ids("1", "3", "4")},
		{"/films?select=id&year=gt.2005&order=id", nil, 200, ids("3", "4")},
		{"/films?select=id&year=gte.2005&order=id", nil, 200, ids("2", "3", "4")},
		{"/films?select=id&year=lt.2005", nil, 200, ids("1")},
		{"/films?select=id&year=lte.2005&order=id", nil, 200, ids("1", "2")},
		// a dotted key is an embed path, even "not"
		{"/films?select=id&not.year=lte.2005", nil, 400, `{"code":"PGRST108","details":null,"hint":"Verify that 'not' is included in the 'select' query parameter.","message":"'not' is not an embedded resource in this request"}`},
		{"/films?select=id&year=not.lte.2005&order=id", nil, 200, ids("3", "4")},
		// like/ilike: * is the wildcard
		{"/films?select=id&title=like.*ar*&order=id", nil, 200, ids("3")},
		{"/films?select=id&title=ilike.*N*&order=id", nil, 200, ids("1", "2")},
		{"/films?select=id&title=match.^N", nil, 200, ids("1")},
		{"/films?select=id&title=imatch.^n", nil, 200, ids("1")},
		{"/films?select=id&title=not.imatch.^n&order=id", nil, 200, ids("2", "3", "4")},
		// (any) and (all)
		{"/films?select=id&id=eq(any).{3,4,5}&order=id", nil, 200, ids("3", "4")},
		{"/films?select=id&title=ilike(any).{night*,dark*}&order=id", nil, 200, ids("1", "3")},
		{"/films?select=id&title=like(all).{*a*,*e*}&order=id", nil, 200, ids("2", "4")},
		{"/films?select=id&year=gt(all).{1999,2004}&order=id", nil, 200, ids("2", "3", "4")},
		{"/films?select=id&year=lt(any).{2000,2006}&order=id", nil, 200, ids("1", "2")},
		{"/films?select=id&title=match(any).{^Q,^L}&order=id", nil, 200, ids("2", "4")},
		// in, with PostgREST's quoting
		{"/films?select=id&title=in.(%22Night%20Train%22,%22Dark%20Hall%22)&order=id", nil, 200, ids("1", "3")},
		{"/films?select=id&title=not.in.(%22Night%20Train%22,Dark%20Hall)&order=id", nil, 200, ids("2", "4")},
		{"/films?select=id&id=in.(1,3)&order=id", nil, 200, ids("1", "3")},
		{"/films?select=id&id=in.()", nil, 200, none},
		{"/films?select=id&id=not.in.()&order=id", nil, 200, ids("1", "2", "3", "4")},
		{"/films?select=id&id=in.(%20,3)", nil, 400, `{"code":"22P02","details":null,"hint":null,"message":"invalid input syntax for type integer: \"\""}`},
		{"/actors?select=id&name=in.(%22A\\%22nn%22,Ben)", nil, 200, ids("2")},
		// is, case-insensitively; is.not_null
		{"/films?select=id&genre=is.null", nil, 200, ids("4")},
		{"/films?select=id&genre=is.NULL", nil, 200, ids("4")},
		{"/films?select=id&genre=is.not_null&order=id", nil, 200, ids("1", "2", "3")},
		{"/films?select=id&genre=not.is.null&order=id", nil, 200, ids("1", "2", "3")},
		{"/films?select=id&genre=is.nothing", nil, 400, `{"code":"PGRST100","details":"unexpected \"h\" expecting isVal: (null, not_null, true, false, unknown)","hint":null,"message":"\"failed to parse filter (is.nothing)\" (line 1, column 7)"}`},
		{"/films?select=id&genre=isdistinct.drama&order=id", nil, 200, ids("2", "3", "4")},
		// full-text search on a tsvector column and, through to_tsvector, on text
		{"/films?select=id&synopsis_tsv=fts.night&order=id", nil, 200, ids("1", "3")},
		{"/films?select=id&synopsis_tsv=fts(english).nights%20%26%20falling", nil, 200, ids("3")},
		{"/films?select=id&synopsis_tsv=not.fts(english).night&order=id", nil, 200, ids("2", "4")},
		{"/films?select=id&synopsis=fts(english).bakeries", nil, 200, ids("2")},
		{"/films?select=id&synopsis=plfts.clowns%20bakery", nil, 200, ids("2")},
		{"/films?select=id&synopsis=plfts(simple).clown", nil, 200, none},
		{"/films?select=id&synopsis=plfts(english).clown", nil, 200, ids("2")},
		{"/films?select=id&synopsis=phfts(english).night%20falls", nil, 200, ids("3")},
		{"/films?select=id&synopsis=phfts(english).falls%20night", nil, 200, none},
		{"/films?select=id&synopsis=wfts(english).night%20-train", nil, 200, ids("3")},
		{"/films?select=id&synopsis=wfts(english).%22night%20falls%22%20or%20clowns&order=id", nil, 200, ids("2", "3")},
		{"/films?select=id&synopsis=fts(nolang).x", nil, 400, `{"code":"42704","details":null,"hint":null,"message":"text search configuration \"nolang\" does not exist"}`},
		// arrays, ranges and jsonb: contains, contained, overlaps and the range operators
		{"/films?select=id&tags=cs.{night}", nil, 200, ids("3")},
		{"/films?select=id&tags=cd.{noir,train,x}", nil, 200, ids("1")},
		{"/films?select=id&tags=ov.{funny,scary}&order=id", nil, 200, ids("2", "3")},
		{"/films?select=id&info=cs.{%22lang%22:%22en%22}&order=id", nil, 200, ids("1", "3")},
		{"/films?select=id&info=cd.{%22rating%22:6,%22lang%22:%22fr%22,%22x%22:1}", nil, 200, ids("2")},
		{"/films?select=id&shooting=cs.[2004-04-01,2004-04-02)", nil, 200, ids("2")},
		// values are untyped parameters: PostgreSQL takes them as the column's type
		{"/films?select=id&shooting=cs.2004-04-01", nil, 400, `{"code":"22P02","details":"Missing left parenthesis or bracket.","hint":null,"message":"malformed range literal: \"2004-04-01\""}`},
		{"/films?select=id&shooting=ov.[2004-01-01,2004-04-01)", nil, 200, ids("2")},
		{"/films?select=id&shooting=sl.[2005-01-01,2006-01-01)&order=id", nil, 200, ids("1", "2")},
		{"/films?select=id&shooting=sr.[2005-01-01,2006-01-01)", nil, 200, ids("3")},
		{"/films?select=id&shooting=nxr.[2005-01-01,2006-01-01)&order=id", nil, 200, ids("1", "2")},
		{"/films?select=id&shooting=nxl.[2005-01-01,2006-01-01)", nil, 200, ids("3")},
		{"/films?select=id&shooting=adj.[2004-05-01,2004-06-01)", nil, 200, ids("2")},
		// JSON paths in filter keys
		{"/films?select=id&info->>lang=eq.fr", nil, 200, ids("2")},
		{"/films?select=id&info->rating=gte.7&order=id", nil, 200, ids("1", "3")},
		{"/films?select=id&info->awards->>-1=eq.silver", nil, 200, ids("1")},
		{"/films?select=id&info->awards->0=eq.%22gold%22", nil, 200, ids("1")},
		// values: everything after the operator, '+' is a space, repeated keys AND
		{"/films?select=id&title=eq.Night+Train", nil, 200, ids("1")},
		{"/films?select=id&id=gt.1&id=lt.4&order=id", nil, 200, ids("2", "3")},
		{"/films?select=id&title=eq.", nil, 200, none},
		{"/films?select=id&id", nil, 200, ids("1", "2", "3", "4")},
		// bad values are PostgreSQL's errors
		{"/films?select=id&id=eq.abc", nil, 400, `{"code":"22P02","details":null,"hint":null,"message":"invalid input syntax for type integer: \"abc\""}`},
		{"/films?select=id&genre=eq.western", nil, 400, `{"code":"22P02","details":null,"hint":null,"message":"invalid input value for enum genre: \"western\""}`},
		{"/films?select=id&id=", nil, 400, `{"code":"PGRST100","details":"unexpected end of input expecting \"not\" or operator (eq, gt, ...)","hint":null,"message":"\"failed to parse filter ()\" (line 1, column 1)"}`},
		{"/films?select=id&id=0", nil, 400, `{"code":"PGRST100","details":"unexpected \"0\" expecting \"not\" or operator (eq, gt, ...)","hint":null,"message":"\"failed to parse filter (0)\" (line 1, column 1)"}`},
		{"/films?select=id&id=eq()", nil, 400, `{"code":"PGRST100","details":"unexpected \")\" expecting operator (eq, gt, ...)","hint":null,"message":"\"failed to parse filter (eq())\" (line 1, column 4)"}`},
	})
}

func TestReadLogicTrees(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		{"/films?select=id&or=(year.lt.2000,and(genre.eq.horror,year.gt.2000))&order=id", nil, 200, rows(`{"id":1}`, `{"id":3}`)},
		{"/films?select=id&and=(year.gt.2000,or(genre.eq.comedy,genre.is.null))&order=id", nil, 200, rows(`{"id":2}`, `{"id":4}`)},
		{"/films?select=id&not.or=(id.eq.1,id.eq.2)&order=id", nil, 200, rows(`{"id":3}`, `{"id":4}`)},
		{"/films?select=id&or=(not.and(id.gte.2,id.lte.3))&order=id", nil, 200, rows(`{"id":1}`, `{"id":4}`)},
		// whitespace, in-lists, quoted values and braces inside trees
		{"/films?select=id&and=(%20and%20(%20id.in.(%201,%202,%203%20)%20,%20id.neq.3%20)%20,%20or%20(%20id.eq.2%20,%20id.eq.3%20)%20)", nil, 200, `[{"id":2}]`},
		{"/films?select=id&or=(title.eq.%22Night%20Train%22,tags.cs.{scary,night})&order=id", nil, 200, rows(`{"id":1}`, `{"id":3}`)},
		{"/films?select=id&or=(synopsis.wfts(english).bakery,info->>lang.eq.en)&order=id", nil, 200, rows(`{"id":1}`, `{"id":2}`, `{"id":3}`)},
		{"/films?select=id&or=(id.eq.1,id.eq.2)&or=(id.eq.2,id.eq.3)", nil, 200, `[{"id":2}]`},
		{"/films?select=id&or=()", nil, 400, `{"code":"PGRST100","details":"unexpected \")\" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)","hint":null,"message":"\"failed to parse logic tree (())\" (line 1, column 4)"}`},
	})
}

func TestReadOrder(t *testing.T) {
	e := startCat(t)
	ids := func(ids ...string) string {
		objs := make([]string, len(ids))
		for i, id := range ids {
			objs[i] = `{"id":` + id + `}`
		}
		return rows(objs...)
	}
	e.run(t, []readCase{
		{"/films?select=id&order=year.desc", nil, 200, ids("4", "3", "2", "1")},
		{"/films?select=id&order=genre.asc.nullsfirst", nil, 200, ids("4", "1", "2", "3")},
		{"/films?select=id&order=genre.desc", nil, 200, ids("4", "3", "2", "1")},
		{"/films?select=id&order=genre.desc.nullslast", nil, 200, ids("3", "2", "1", "4")},
		{"/films?select=id&order=genre.nullsfirst", nil, 200, ids("4", "1", "2", "3")},
		{"/films?select=id&order=director_id.desc.nullslast,id.desc", nil, 200, ids("3", "2", "1", "4")},
		{"/films?select=id&order=info->rating.desc.nullslast", nil, 200, ids("1", "3", "2", "4")},
		{"/films?select=id&order=info->>lang,id.desc", nil, 200, ids("3", "1", "2", "4")},
		{"/films?select=id&order=age", nil, 200, ids("4", "3", "2", "1")},
		{"/films?select=id&order=id.asc.nullslasttt", nil, 400, `{"code":"PGRST100","details":"unexpected 't' expecting \",\" or end of input","hint":null,"message":"\"failed to parse order (id.asc.nullslasttt)\" (line 1, column 17)"}`},
	})
}

package server_test

import "testing"

func TestReadEmbedCardinalities(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		// many-to-one: an object or null; embedded values are jsonb-formatted
		{"/films?select=id,directors(name)&order=id", nil, 200, rows(
			`{"id":1,"directors":{"name": "Ada Lens"}}`, `{"id":2,"directors":{"name": "Bo Frame"}}`,
			`{"id":3,"directors":{"name": "Bo Frame"}}`, `{"id":4,"directors":null}`)},
		// one-to-many: an array, [] when empty
		{"/directors?select=id,films(id,title)&order=id", nil, 200, rows(
			`{"id":1,"films":[{"id": 1, "title": "Night Train"}]}`,
			`{"id":2,"films":[{"id": 2, "title": "Laugh Lines"}, {"id": 3, "title": "Dark Hall"}]}`,
			`{"id":3,"films":[]}`)},
		// one-to-one, from both sides: objects
		{"/films?select=id,posters(url)&order=id", nil, 200, rows(
			`{"id":1,"posters":{"url": "https://img/1.png"}}`, `{"id":2,"posters":null}`,
			`{"id":3,"posters":{"url": "https://img/3.png"}}`, `{"id":4,"posters":null}`)},
		{"/posters?select=film_id,films(title)&order=film_id", nil, 200, rows(
			`{"film_id":1,"films":{"title": "Night Train"}}`, `{"film_id":3,"films":{"title": "Dark Hall"}}`)},
		// many-to-many through the junction, with and without the junction as hint
		{"/films?select=id,actors(name)&order=id", nil, 200, rows(
			`{"id":1,"actors":[{"name": "Ann"}, {"name": "Ben"}]}`, `{"id":2,"actors":[{"name": "Ben"}]}`,
			`{"id":3,"actors":[{"name": "Cat"}]}`, `{"id":4,"actors":[]}`)},
		{"/actors?select=name,films!roles(title)&id=eq.2", nil, 200, `[{"name":"Ben","films":[{"title": "Night Train"}, {"title": "Laugh Lines"}]}]`},
		// the junction itself, with nested to-one embeds (jsonb sorts keys by length)
		{"/films?select=id,roles(character,actors(name))&roles.order=character&id=eq.1", nil, 200,
			`[{"id":1,"roles":[{"actors": {"name": "Ann"}, "character": "Conductor"}, {"actors": {"name": "Ben"}, "character": "Stranger"}]}]`},
		// self reference: the table's name gives the children, the FK column the parent
		{"/directors?select=id,directors(id)&order=id", nil, 200, rows(
			`{"id":1,"directors":[{"id": 2}, {"id": 3}]}`, `{"id":2,"directors":[]}`, `{"id":3,"directors":[]}`)},
		{"/directors?select=id,mentor:mentor_id(name)&order=id", nil, 200, rows(
			`{"id":1,"mentor":null}`, `{"id":2,"mentor":{"name": "Ada Lens"}}`, `{"id":3,"mentor":{"name": "Ada Lens"}}`)},
		{"/directors?select=id,pupils:directors!mentor_id(name)&id=eq.1", nil, 200, `[{"id":1,"pupils":[{"name": "Bo Frame"}, {"name": "Cy Cut"}]}]`},
		// hints: FK column, FK constraint; an FK constraint or column as the target name
		{"/films?select=id,won:awards!winner_id(name),lost:awards!awards_runner_up_id_fkey(name)&order=id", nil, 200, rows(
			`{"id":1,"won":[{"name": "Golden Reel"}],"lost":[]}`, `{"id":2,"won":[],"lost":[{"name": "Silver Reel"}]}`,
			`{"id":3,"won":[{"name": "Silver Reel"}],"lost":[{"name": "Golden Reel"}]}`, `{"id":4,"won":[],"lost":[]}`)},
		{"/films?select=id,awards_winner_id_fkey(name)&id=eq.1", nil, 200, `[{"id":1,"awards_winner_id_fkey":[{"name": "Golden Reel"}]}]`},
		{"/films?select=id,director_id(name)&id=eq.1", nil, 200, `[{"id":1,"director_id":{"name": "Ada Lens"}}]`},
		// views take part through their base tables' keys, in both directions
		{"/recent_films?select=id,directors(name)&order=id", nil, 200, rows(
			`{"id":2,"directors":{"name": "Bo Frame"}}`, `{"id":3,"directors":{"name": "Bo Frame"}}`, `{"id":4,"directors":null}`)},
		{"/directors?select=name,recent_films(title)&id=eq.2", nil, 200, `[{"name":"Bo Frame","recent_films":[{"title": "Laugh Lines"}, {"title": "Dark Hall"}]}]`},
		// nesting to any depth
		{"/films?select=id,directors(name,directors(name),mentor_id(name))&id=eq.2", nil, 200,
			`[{"id":2,"directors":{"name": "Bo Frame", "directors": [], "mentor_id": {"name": "Ada Lens"}}}]`},
		// the same table twice under different aliases, each filtered on its own
		{"/films?select=id,a:actors(name),b:actors(name)&a.name=eq.Ann&b.name=eq.Ben&id=eq.1", nil, 200,
			`[{"id":1,"a":[{"name": "Ann"}],"b":[{"name": "Ben"}]}]`},
	})
}

func TestReadEmbedErrors(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		{"/films?select=id,awards(name)", nil, 300, `{"code":"PGRST201","details":[` +
			`{"cardinality":"one-to-many","embedding":"films with awards","relationship":"awards_runner_up_id_fkey using films(id) and awards(runner_up_id)"},` +
			`{"cardinality":"one-to-many","embedding":"films with awards","relationship":"awards_winner_id_fkey using films(id) and awards(winner_id)"}],` +
			`"hint":"Try changing 'awards' to one of the following: 'awards!awards_runner_up_id_fkey', 'awards!awards_winner_id_fkey'. Find the desired relationship in the 'details' key.",` +
			`"message":"Could not embed because more than one relationship was found for 'films' and 'awards'"}`},
		{"/awards?select=id,films(id)", nil, 300, `{"code":"PGRST201","details":[` +
			`{"cardinality":"many-to-one","embedding":"awards with films","relationship":"awards_runner_up_id_fkey using awards(runner_up_id) and films(id)"},` +
			`{"cardinality":"many-to-one","embedding":"awards with films","relationship":"awards_winner_id_fkey using awards(winner_id) and films(id)"}],` +
			`"hint":"Try changing 'films' to one of the following: 'films!awards_runner_up_id_fkey', 'films!awards_winner_id_fkey'. Find the desired relationship in the 'details' key.",` +
			`"message":"Could not embed because more than one relationship was found for 'awards' and 'films'"}`},
		{"/films?select=id,director(name)", nil, 400, `{"code":"PGRST200","details":"Searched for a foreign key relationship between 'films' and 'director' in the schema 'cat', but no matches were found.","hint":"Perhaps you meant 'directors' instead of 'director'.","message":"Could not find a relationship between 'films' and 'director' in the schema cache"}`},
		{"/films?select=id,zzzz(name)", nil, 400, `{"code":"PGRST200","details":"Searched for a foreign key relationship between 'films' and 'zzzz' in the schema 'cat', but no matches were found.","hint":null,"message":"Could not find a relationship between 'films' and 'zzzz' in the schema cache"}`},
		{"/films?select=id,actors!nope(name)", nil, 400, `{"code":"PGRST200","details":"Searched for a foreign key relationship between 'films' and 'actors' using the hint 'nope' in the schema 'cat', but no matches were found.","hint":null,"message":"Could not find a relationship between 'films' and 'actors' in the schema cache"}`},
		// filters, orders, limits and trees on embeds the select does not have
		{"/films?select=id&x.id=eq.1", nil, 400, `{"code":"PGRST108","details":null,"hint":"Verify that 'x' is included in the 'select' query parameter.","message":"'x' is not an embedded resource in this request"}`},
		{"/films?select=id&directors.or=(name.eq.x)", nil, 400, `{"code":"PGRST108","details":null,"hint":"Verify that 'directors' is included in the 'select' query parameter.","message":"'directors' is not an embedded resource in this request"}`},
		{"/films?select=id&directors.order=name", nil, 400, `{"code":"PGRST108","details":null,"hint":"Verify that 'directors' is included in the 'select' query parameter.","message":"'directors' is not an embedded resource in this request"}`},
		{"/films?select=id,directors(id)&directors.x.limit=1", nil, 400, `{"code":"PGRST108","details":null,"hint":"Verify that 'directors.x' is included in the 'select' query parameter.","message":"'directors.x' is not an embedded resource in this request"}`},
		// ordering by a to-many embed, or one that is not selected
		{"/directors?select=id,films(id)&order=films(id)", nil, 400, `{"code":"PGRST118","details":"'directors' and 'films' do not form a many-to-one or one-to-one relationship","hint":null,"message":"A related order on 'films' is not possible"}`},
		{"/films?select=id&order=directors(name)", nil, 400, `{"code":"PGRST108","details":null,"hint":"Verify that 'directors' is included in the 'select' query parameter.","message":"'directors' is not an embedded resource in this request"}`},
	})
}

func TestReadInnerAndNullEmbedFilters(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		{"/films?select=id,directors!inner(name)&order=id", nil, 200, rows(
			`{"id":1,"directors":{"name": "Ada Lens"}}`, `{"id":2,"directors":{"name": "Bo Frame"}}`, `{"id":3,"directors":{"name": "Bo Frame"}}`)},
		// !left is the default
		{"/films?select=id,directors!left(name)&id=eq.4", nil, 200, `[{"id":4,"directors":null}]`},
		// an embedded filter keeps the parent rows, unless the embed is inner
		{"/actors?select=name,films(title)&films.title=eq.Dark%20Hall&order=id", nil, 200, rows(
			`{"name":"Ann","films":[]}`, `{"name":"Ben","films":[]}`, `{"name":"Cat","films":[{"title": "Dark Hall"}]}`)},
		{"/actors?select=name,films!inner(title)&films.title=eq.Dark%20Hall", nil, 200, `[{"name":"Cat","films":[{"title": "Dark Hall"}]}]`},
		// inner applies at every level, only to the direct parent
		{"/directors?select=id,films(id,actors(name))&films.actors.name=eq.Ben&order=id", nil, 200, rows(
			`{"id":1,"films":[{"id": 1, "actors": [{"name": "Ben"}]}]}`,
			`{"id":2,"films":[{"id": 2, "actors": [{"name": "Ben"}]}, {"id": 3, "actors": []}]}`,
			`{"id":3,"films":[]}`)},
		{"/directors?select=id,films!inner(id,actors!inner(name))&films.actors.name=eq.Ben&order=id", nil, 200, rows(
			`{"id":1,"films":[{"id": 1, "actors": [{"name": "Ben"}]}]}`, `{"id":2,"films":[{"id": 2, "actors": [{"name": "Ben"}]}]}`)},
		// null-embed filters: not.is.null ≡ inner, is.null = anti join; to-one and to-many
		{"/films?select=id,directors(name)&directors=not.is.null&order=id", nil, 200, rows(
			`{"id":1,"directors":{"name": "Ada Lens"}}`, `{"id":2,"directors":{"name": "Bo Frame"}}`, `{"id":3,"directors":{"name": "Bo Frame"}}`)},
		{"/films?select=id,directors(name)&directors=is.null", nil, 200, `[{"id":4,"directors":null}]`},
		{"/directors?select=id,films(id)&films=is.null", nil, 200, `[{"id":3,"films":[]}]`},
		{"/films?select=id,actors(name)&actors.name=eq.Ben&actors=not.is.null&order=id", nil, 200, rows(
			`{"id":1,"actors":[{"name": "Ben"}]}`, `{"id":2,"actors":[{"name": "Ben"}]}`)},
		// inside or=(…), with empty embeds that only filter
		{"/films?select=id,actors(),posters()&or=(actors.is.null,posters.not.is.null)&order=id", nil, 200, rows(`{"id":1}`, `{"id":3}`, `{"id":4}`)},
		{"/films?select=id,actors(),directors()&or=(actors.is.null,directors.is.null)", nil, 200, `[{"id":4}]`},
		// empty embeds: no key, but they join and filter
		{"/films?select=id,directors!inner()&directors.name=eq.Bo%20Frame&order=id", nil, 200, rows(`{"id":2}`, `{"id":3}`)},
		{"/films?select=title,posters!inner()&order=id", nil, 200, rows(`{"title":"Night Train"}`, `{"title":"Dark Hall"}`)},
	})
}

func TestReadSpreads(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		// to-one: the columns join the parent object, aliased or not
		{"/films?select=title,...directors(director:name)&order=id", nil, 200, rows(
			`{"title":"Night Train","director":"Ada Lens"}`, `{"title":"Laugh Lines","director":"Bo Frame"}`,
			`{"title":"Dark Hall","director":"Bo Frame"}`, `{"title":"Quiet Sea","director":null}`)},
		{"/posters?select=url,...films(id,title)&film_id=eq.3", nil, 200, `[{"url":"https://img/3.png","id":3,"title":"Dark Hall"}]`},
		// to-one spread with a hint and inner
		{"/awards?select=name,...films!winner_id!inner(won:title)&order=id", nil, 200, rows(
			`{"name":"Golden Reel","won":"Night Train"}`, `{"name":"Silver Reel","won":"Dark Hall"}`)},
		// to-many: one correlated array per column, ordered by the embed's order
		{"/directors?select=name,...films(title,year)&films.order=year.desc&order=id", nil, 200, rows(
			`{"name":"Ada Lens","title":["Night Train"],"year":[1999]}`,
			`{"name":"Bo Frame","title":["Dark Hall", "Laugh Lines"],"year":[2010, 2005]}`,
			`{"name":"Cy Cut","title":[],"year":[]}`)},
		{"/films?select=title,...actors(actor:name)&id=in.(1,4)&order=id", nil, 200, rows(
			`{"title":"Night Train","actor":["Ann", "Ben"]}`, `{"title":"Quiet Sea","actor":[]}`)},
		{"/directors?select=name,...films!inner(title)&order=id", nil, 200, rows(
			`{"name":"Ada Lens","title":["Night Train"]}`, `{"name":"Bo Frame","title":["Laugh Lines", "Dark Hall"]}`)},
		{"/directors?select=name,...films(title)&films=is.null", nil, 200, `[{"name":"Cy Cut","title":[]}]`},
		{"/directors?select=name,...films(title,directors(name))", nil, 400, `{"code":"PGRST127","details":"Embedding inside one-to-many or many-to-many spreads is not implemented.","hint":null,"message":"Feature not implemented"}`},
	})
}

func TestReadEmbeddedFilterOrderLimit(t *testing.T) {
	e := startCat(t)
	e.run(t, []readCase{
		{"/directors?select=id,films(id)&films.order=id.desc&films.limit=1&order=id", nil, 200, rows(
			`{"id":1,"films":[{"id": 1}]}`, `{"id":2,"films":[{"id": 3}]}`, `{"id":3,"films":[]}`)},
		{"/directors?select=id,films(id)&films.limit=1&films.offset=1&films.order=id&order=id", nil, 200, rows(
			`{"id":1,"films":[]}`, `{"id":2,"films":[{"id": 3}]}`, `{"id":3,"films":[]}`)},
		// an offset on a to-one embed yields null
		{"/films?select=id,directors(name)&directors.offset=1&id=eq.1", nil, 200, `[{"id":1,"directors":null}]`},
		// trees on embeds
		{"/films?select=id,actors(name)&actors.or=(name.eq.Ann,name.eq.Cat)&order=id", nil, 200, rows(
			`{"id":1,"actors":[{"name": "Ann"}]}`, `{"id":2,"actors":[]}`, `{"id":3,"actors":[{"name": "Cat"}]}`, `{"id":4,"actors":[]}`)},
		{"/films?select=id,actors(name)&actors.not.and=(name.neq.Ann,name.neq.Cat)&id=eq.1", nil, 200, `[{"id":1,"actors":[{"name": "Ann"}]}]`},
		// ordering the parent by a to-one embed's column, by alias
		{"/films?select=id,director:directors(name)&order=director(name).desc.nullslast,id", nil, 200, rows(
			`{"id":2,"director":{"name": "Bo Frame"}}`, `{"id":3,"director":{"name": "Bo Frame"}}`,
			`{"id":1,"director":{"name": "Ada Lens"}}`, `{"id":4,"director":null}`)},
		{"/films?select=id,directors(name)&order=directors(name).asc.nullsfirst,id.desc", nil, 200, rows(
			`{"id":4,"directors":null}`, `{"id":1,"directors":{"name": "Ada Lens"}}`,
			`{"id":3,"directors":{"name": "Bo Frame"}}`, `{"id":2,"directors":{"name": "Bo Frame"}}`)},
	})
}

func TestReadLegacyTargetNameWarning(t *testing.T) {
	e := startCat(t)
	r := e.get("/films?select=id,the_d:directors(id)&directors.id=eq.1&order=id")
	r.expect(t, 200, rows(`{"id":1,"the_d":{"id": 1}}`, `{"id":2,"the_d":null}`, `{"id":3,"the_d":null}`, `{"id":4,"the_d":null}`))
	r.expectHeader(t, "Warning", "299 PostgRESTv12 \"Embedded resource was referenced by relation name even though it has an alias. "+
		"This is deprecated and will stop working in a future release. Update `directors` to `the_d` in query string filters, orders or limits.\"")
	r = e.get("/films?select=id,the_d:directors(id)&the_d.id=eq.1&id=eq.1")
	r.expect(t, 200, `[{"id":1,"the_d":{"id": 1}}]`)
	r.expectHeader(t, "Warning", "")
}

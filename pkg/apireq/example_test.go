package apireq_test

import (
	"fmt"
	"net/http"

	"github.com/rocksteady/rocksteady/pkg/apireq"
)

func ExampleParse() {
	h := http.Header{}
	h.Set("Accept-Profile", "public")
	h.Set("Prefer", "count=exact")
	r, err := apireq.Parse("GET", "/rest/v1/posts",
		"select=id,title,author:users!inner(name)&user_id=eq.42&order=created_at.desc&limit=20",
		h, nil, apireq.Options{Schemas: []string{"public"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Target.Kind, r.Target.Name, r.Schema)
	for _, it := range r.Select {
		if it.Kind == apireq.ItemEmbed {
			fmt.Println(it.Kind, it.Alias, it.Relation, it.Join, len(it.Children))
		} else {
			fmt.Println(it.Kind, it.Field.Name)
		}
	}
	f := r.Filters[0]
	fmt.Println(f.Field.Name, f.Op, f.Value)
	fmt.Println(r.Order[0].Terms[0].Field.Name, r.Order[0].Terms[0].Direction)
	fmt.Println(r.Range.Offset, r.Range.Limit, r.Preferences.Count)
	// Output:
	// table posts public
	// field id
	// field title
	// embed author users inner 1
	// user_id eq 42
	// created_at desc
	// 0 20 count=exact
}

func ExampleParse_error() {
	_, err := apireq.Parse("GET", "/ghostBusters", "id=0", nil, nil, apireq.Options{Schemas: []string{"public"}})
	fmt.Println(err)
	// Output:
	// PGRST100 (400): "failed to parse filter (0)" (line 1, column 1)
}

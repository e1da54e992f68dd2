package response

import (
	"testing"
)

func TestContentRangeTable(t *testing.T) {
	cases := []struct {
		offset, page, total int64
		want                string
	}{
		{0, 15, -1, "0-14/*"},
		{2, 3, -1, "2-4/*"},
		{0, 0, -1, "*/*"},
		{0, 0, 0, "*/0"},
		{0, 2, 15, "0-1/15"},
		{3, 2, 15, "3-4/15"},
	}
	for _, c := range cases {
		if got := ContentRange(c.offset, c.page, c.total); got != c.want {
			t.Errorf("%+v: %s want %s", c, got, c.want)
		}
	}
}

func TestReadStatuses(t *testing.T) {
	r, err := ForRead(Read{ContentType: "application/json; charset=utf-8", Offset: 0, Page: 2, Total: 15, Body: []byte("[]")})
	if err != nil || r.Status != 206 || r.Header.Get("Content-Range") != "0-1/15" || r.Header.Get("Vary") != "Accept, Prefer, Range" {
		t.Fatalf("206: %+v %v", r, err)
	}
	_, err = ForRead(Read{Offset: 100, Page: 0, Total: 15})
	if err == nil || err.Status != 416 || err.Details != "An offset of 100 was requested, but there are only 15 rows." || err.Headers.Get("Content-Range") != "*/15" {
		t.Fatalf("416: %+v", err)
	}
	_, err = ForRead(Read{Offset: 1, Page: 0, Total: 0})
	if err == nil || err.Status != 416 {
		t.Fatalf("offset 1 of 0 rows: %+v", err)
	}
	r, err = ForRead(Read{Offset: 0, Page: 0, Total: 0})
	if err != nil || r.Status != 200 || r.Header.Get("Content-Range") != "*/0" {
		t.Fatalf("empty: %+v %v", r, err)
	}
}

func TestGUCs(t *testing.T) {
	r, err := ForRead(Read{ContentType: "application/json; charset=utf-8", Page: 1, Total: -1,
		GUCHeaders: []byte(`[{"Set-Cookie":"a=1"},{"Set-Cookie":"b=2"},{"Content-Type":"text/plain"}]`), GUCStatus: []byte("418")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != 418 || len(r.Header.Values("Set-Cookie")) != 2 || r.Header.Get("Content-Type") != "text/plain" {
		t.Fatalf("%+v", r)
	}
	if _, err := ForRead(Read{Total: -1, GUCHeaders: []byte(`{"a":"b"}`)}); err == nil || err.Code != "PGRST111" {
		t.Fatalf("bad headers: %v", err)
	}
	if _, err := ForRead(Read{Total: -1, GUCStatus: []byte(`abc`)}); err == nil || err.Code != "PGRST112" {
		t.Fatalf("bad status: %v", err)
	}
}

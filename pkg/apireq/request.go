package apireq

import (
	"net/http"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Options is the configuration Parse needs.
type Options struct {
	// Schemas are the exposed schemas (db-schemas); the first is the default. A profile
	// header naming any other schema fails with PGRST106.
	Schemas []string
	// RootSpec is db-root-spec: when set, "/" calls this function like /rpc/<RootSpec>.
	RootSpec string
	// OpenAPIDisabled is openapi-mode=disabled: "/" fails with PGRST126.
	OpenAPIDisabled bool
}

// Parse translates one HTTP request. rawPath is the escaped path (r.URL.EscapedPath());
// a leading "/rest/v1" segment pair is removed, so the server may route both "/" and
// "/rest/v1/" here without stripping anything. rawQuery is r.URL.RawQuery. header must
// use canonical keys (as net/http provides). body is kept as is.
//
// Errors are *apierr.Error, checked in PostgREST's order: path (PGRST126, PGRST125),
// profile (PGRST106), method (PGRST101, PGRST117), query string (PGRST100), ranges
// (PGRST103, PGRST114). Preferences never fail here; see Preferences.StrictError.
func Parse(method, rawPath, rawQuery string, header http.Header, body []byte, opts Options) (*Request, error) {
	r := &Request{Method: method, Body: body}
	if err := r.parse(rawPath, rawQuery, header, opts); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Request) parse(rawPath, rawQuery string, header http.Header, opts Options) *apierr.Error {
	r.Path = stripAPIPrefix(rawPath)
	if err := r.route(opts); err != nil {
		return err
	}
	if err := r.resolveSchema(header, opts.Schemas); err != nil {
		return err
	}
	if err := r.checkMethod(); err != nil {
		return err
	}
	rpcRead := r.Target.Kind == TargetRPC && (r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions)
	if err := r.Query.parse(rawQuery, rpcRead); err != nil {
		return err
	}
	if err := r.resolveRanges(header); err != nil {
		return err
	}
	r.Preferences = ParsePrefer(header["Prefer"])
	if accept := header["Accept"]; len(accept) == 0 {
		r.acceptBuf[0] = mediaAny
		r.Accept = r.acceptBuf[:]
	} else if accept[0] == "*/*" {
		r.acceptBuf[0] = mediaAny
		r.Accept = r.acceptBuf[:]
	} else {
		r.Accept = parseAcceptInto(accept[0], r.acceptBuf[:0])
	}
	if ct := header["Content-Type"]; len(ct) == 0 {
		r.ContentType = mediaJSON
	} else {
		r.ContentType = ParseMediaType(ct[0])
	}
	return nil
}

// stripAPIPrefix removes a leading /rest/v1 (Supabase's gateway prefix).
func stripAPIPrefix(path string) string {
	const prefix = "/rest/v1"
	if strings.HasPrefix(path, prefix) && (len(path) == len(prefix) || path[len(prefix)] == '/') {
		path = path[len(prefix):]
		if path == "" {
			path = "/"
		}
	}
	return path
}

// route maps the path segments to a target: [] root, [t] table, ["rpc", f] function,
// anything else PGRST125 (a trailing slash makes an extra, empty segment).
func (r *Request) route(opts Options) *apierr.Error {
	p := strings.TrimPrefix(r.Path, "/")
	if p == "" {
		if opts.OpenAPIDisabled {
			return apierr.OpenAPIDisabled()
		}
		if opts.RootSpec != "" {
			r.Target = Target{Kind: TargetRPC, Name: opts.RootSpec, RootSpec: true}
		} else {
			r.Target = Target{Kind: TargetRoot}
		}
		return nil
	}
	first, rest, more := strings.Cut(p, "/")
	if !more {
		r.Target = Target{Kind: TargetTable, Name: urlDecode(first, false)}
		return nil
	}
	if urlDecode(first, false) == "rpc" && !strings.Contains(rest, "/") {
		r.Target = Target{Kind: TargetRPC, Name: urlDecode(rest, false)}
		return nil
	}
	return apierr.InvalidPath()
}

// resolveSchema picks the schema from Content-Profile (POST, PUT, PATCH, DELETE) or
// Accept-Profile (every other method).
func (r *Request) resolveSchema(header http.Header, schemas []string) *apierr.Error {
	name := "Accept-Profile"
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		name = "Content-Profile"
	}
	if vals := header[name]; len(vals) > 0 {
		profile := vals[0]
		for _, s := range schemas {
			if s == profile {
				r.Schema, r.SchemaNegotiated = profile, true
				return nil
			}
		}
		return apierr.InvalidSchema(profile, schemas)
	}
	if len(schemas) > 0 {
		r.Schema = schemas[0]
	}
	r.SchemaNegotiated = len(schemas) != 1
	return nil
}

func (r *Request) checkMethod() *apierr.Error {
	switch r.Target.Kind {
	case TargetRPC:
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions:
			return nil
		}
		return apierr.MethodOnRPC(r.Method)
	case TargetTable:
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
			http.MethodPatch, http.MethodDelete, http.MethodOptions:
			return nil
		}
	case TargetRoot:
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return nil
		}
	}
	return apierr.UnsupportedMethod(r.Method)
}

// Details texts of PGRST103.
const (
	detailNegativeLimit = "Limit should be greater than or equal to zero."
	detailLowerGTUpper  = "The lower boundary must be lower than or equal to the upper boundary in the Range header."
)

// rowRange is an integer interval [lo, hi] (hi absent = unbounded), modelled on the
// Data.Ranged ranges PostgREST computes windows with, so that corner cases (limit=0
// with an offset, non-numeric limits next to offsets, negative offsets) agree.
type rowRange struct {
	lo    int64
	hi    int64
	hasHi bool
	void  bool // Data.Ranged's emptyRange constant
}

var allRows = rowRange{}

func (r rowRange) empty() bool { return r.void || (r.hasHi && r.hi < r.lo) }

func (r rowRange) intersect(o rowRange) rowRange {
	if r.empty() || o.empty() {
		return rowRange{void: true}
	}
	out := rowRange{lo: max(r.lo, o.lo), hi: r.hi, hasHi: r.hasHi}
	if o.hasHi && (!r.hasHi || o.hi < r.hi) {
		out.hi, out.hasHi = o.hi, true
	}
	return out
}

// limitZero reports PostgREST's special "limit=0" window [0, -1].
func (r rowRange) limitZero() bool { return !r.void && r.hasHi && r.hi == -1 }

func (r rowRange) page() Page {
	if !r.hasHi {
		return Page{Offset: r.lo, Limit: NoLimit}
	}
	return Page{Offset: r.lo, Limit: r.hi - r.lo + 1}
}

func satAdd(a, b int64) int64 {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		if b > 0 {
			return 1<<63 - 1
		}
		return -1 << 63
	}
	return s
}

// window combines a node's limit and offset parameters.
func (lp *limitParam) window() rowRange {
	limitR, offsetR := allRows, allRows
	if lp.hasLimit && lp.limitOK {
		limitR = rowRange{lo: 0, hi: satAdd(lp.limit, -1), hasHi: true}
	}
	if lp.hasOffset && lp.offsetOK {
		offsetR = rowRange{lo: lp.offset}
	}
	switch {
	case lp.hasLimit && lp.hasOffset:
		l := int64(0)
		if limitR.hasHi {
			l = limitR.hi - limitR.lo + 1
		}
		return rowRange{lo: offsetR.lo, hi: satAdd(satAdd(offsetR.lo, l), -1), hasHi: true}
	case lp.hasLimit:
		return limitR
	default:
		return offsetR
	}
}

// resolveRanges computes the top-level window (limit/offset ∩ Range header) and the
// embedded ones, with PostgREST's validation.
func (r *Request) resolveRanges(header http.Header) *apierr.Error {
	headerR := allRows
	if r.Method == http.MethodGet {
		if vals := header["Range"]; len(vals) > 0 {
			if hr, ok := rangeHeader(vals[0]); ok {
				headerR, r.HasRangeHeader = hr, true
			}
		}
	}
	limitR := allRows
	for i := range r.limits {
		lp := &r.limits[i]
		if lp.key == "limit" {
			limitR = lp.window()
			continue
		}
		if len(lp.path) == 0 {
			continue
		}
		w := lp.window()
		if !w.limitZero() {
			w = w.intersect(allRows)
		}
		if w.empty() && !w.limitZero() {
			return apierr.InvalidRange(detailNegativeLimit)
		}
		r.EmbedRanges = append(r.EmbedRanges, PathPage{Path: lp.path, Page: w.page()})
	}
	top := headerR.intersect(limitR)
	if limitR.limitZero() {
		top = rowRange{lo: 0, hi: -1, hasHi: true}
	}
	if top.empty() && !limitR.limitZero() {
		if headerR.empty() {
			return apierr.InvalidRange(detailLowerGTUpper)
		}
		return apierr.InvalidRange(detailNegativeLimit)
	}
	if r.Method == http.MethodPut && (top.lo != 0 || top.hasHi) {
		return apierr.PutLimit()
	}
	r.Range = top.page()
	return nil
}

// rangeHeader parses "first-[last]" (exactly ^[0-9]+-[0-9]*$); anything else is ignored.
func rangeHeader(v string) (rowRange, bool) {
	dash := strings.IndexByte(v, '-')
	if dash <= 0 {
		return rowRange{}, false
	}
	first, ok := digits(v[:dash])
	if !ok {
		return rowRange{}, false
	}
	rest := v[dash+1:]
	if rest == "" {
		return rowRange{lo: first}, true
	}
	last, ok := digits(rest)
	if !ok {
		return rowRange{}, false
	}
	return rowRange{lo: first, hi: last, hasHi: true}, true
}

func digits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63-1-int64(c-'0'))/10 {
			n = 1<<63 - 1
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// ParseRange parses a Range header value ("0-9", "10-"). ok is false when the value does
// not have that form (PostgREST then ignores it); first > last is PGRST103.
func ParseRange(value string) (page Page, ok bool, err error) {
	hr, ok := rangeHeader(value)
	if !ok {
		return Page{Offset: 0, Limit: NoLimit}, false, nil
	}
	if hr.empty() {
		return Page{}, true, apierr.InvalidRange(detailLowerGTUpper)
	}
	return hr.page(), true, nil
}

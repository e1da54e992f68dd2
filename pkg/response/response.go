package response

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Response is what the server writes.
type Response struct {
	Status     int
	StatusText string // non-empty replaces the standard reason phrase
	Header     http.Header
	Body       []byte
	NoBody     bool // HEAD, 204 and minimal writes send no body
	// NoLength suppresses Content-Length (HEAD, 204 on PATCH/DELETE/PUT).
	NoLength bool
}

// Read describes a successful read (GET/HEAD on a table, or an RPC call).
type Read struct {
	Head        bool
	ContentType string // full value, e.g. "application/json; charset=utf-8"
	Offset      int64  // effective top-level offset
	Total       int64  // -1 when no count was asked for
	Page        int64  // rows in the body
	Body        []byte
	// ContentLocation is set for tables ("/items?id=eq.5"), empty for RPC.
	ContentLocation   string
	PreferenceApplied string
	ContentProfile    string
	// Scalar RPC results have no Content-Range semantics beyond the page.
	GUCHeaders []byte // response.headers GUC (JSON) or nil
	GUCStatus  []byte // response.status GUC or nil
}

// ContentRange renders PostgREST's Content-Range for a read.
func ContentRange(offset, page, total int64) string {
	rng := "*"
	if page > 0 && total != 0 {
		rng = strconv.FormatInt(offset, 10) + "-" + strconv.FormatInt(offset+page-1, 10)
	}
	tot := "*"
	if total >= 0 {
		tot = strconv.FormatInt(total, 10)
	}
	return rng + "/" + tot
}

// ForRead builds the response of a read, or the 416 PGRST103 when the offset lies past the total.
func ForRead(r Read) (*Response, *apierr.Error) {
	status := http.StatusOK
	cr := ContentRange(r.Offset, r.Page, r.Total)
	if r.Total >= 0 {
		switch {
		case r.Offset > r.Total:
			e := apierr.InvalidRange("An offset of " + strconv.FormatInt(r.Offset, 10) +
				" was requested, but there are only " + strconv.FormatInt(r.Total, 10) + " rows.")
			e.WithHeader("Content-Range", "*/"+strconv.FormatInt(r.Total, 10))
			return nil, e
		case r.Page < r.Total:
			status = http.StatusPartialContent
		}
	}
	h := http.Header{}
	h.Set("Content-Type", r.ContentType)
	h.Set("Content-Range", cr)
	if r.ContentLocation != "" {
		h.Set("Content-Location", r.ContentLocation)
	}
	if r.PreferenceApplied != "" {
		h.Set("Preference-Applied", r.PreferenceApplied)
	}
	if r.ContentProfile != "" {
		h.Set("Content-Profile", r.ContentProfile)
	}
	h.Set("Vary", "Accept, Prefer, Range")
	resp := &Response{Status: status, Header: h, Body: r.Body, NoBody: r.Head, NoLength: r.Head}
	if err := ApplyGUCs(resp, r.GUCHeaders, r.GUCStatus); err != nil {
		return nil, err
	}
	return resp, nil
}

// ApplyGUCs applies response.headers (replacing same-named headers) and response.status.
func ApplyGUCs(resp *Response, headers, status []byte) *apierr.Error {
	if len(headers) > 0 {
		var list []map[string]any
		if err := json.Unmarshal(headers, &list); err != nil {
			return apierr.ResponseHeadersGUC()
		}
		replaced := map[string]bool{}
		for _, obj := range list {
			if len(obj) != 1 {
				return apierr.ResponseHeadersGUC()
			}
			for k, v := range obj {
				s, ok := v.(string)
				if !ok {
					return apierr.ResponseHeadersGUC()
				}
				ck := http.CanonicalHeaderKey(k)
				if !replaced[ck] {
					resp.Header.Del(ck)
					replaced[ck] = true
				}
				resp.Header.Add(ck, s)
			}
		}
	}
	if len(status) > 0 {
		digits := leadingDigits(string(status))
		n, err := strconv.Atoi(digits)
		if err != nil || n < 100 || n > 599 {
			return apierr.ResponseStatusGUC()
		}
		resp.Status = n
	}
	return nil
}

func leadingDigits(s string) string {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// Error renders e as PostgREST does (verbose or minimal body, Proxy-Status, e's headers).
func Error(e *apierr.Error, minimal bool) *Response {
	h := http.Header{}
	for k, vs := range e.Headers {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Proxy-Status", "PostgREST; error="+e.Code)
	body := e.Body()
	if minimal {
		b, _ := json.Marshal(struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}{e.Code, e.Message})
		body = b
	}
	return &Response{Status: e.Status, StatusText: e.StatusText, Header: h, Body: body}
}

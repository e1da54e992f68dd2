package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rocksteady/rocksteady/pkg/apierr"
	"github.com/rocksteady/rocksteady/pkg/apireq"
)

// writeBody is a write's payload as JSON text, ready to be one statement parameter.
type writeBody struct {
	json    []byte
	isArray bool
	// keys are the body's keys (the first object's; all objects share them), nil when
	// columns= decides the columns instead.
	keys []string
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// readWriteBody checks and normalises the body of POST, PATCH and PUT. JSON bodies are
// only scanned for their keys, never decoded; with columns= they are not even scanned
// (PostgreSQL reports malformed JSON then, as with PostgREST). CSV and form bodies are
// converted to JSON. DELETE bodies are ignored.
func readWriteBody(req *apireq.Request) (writeBody, error) {
	if req.Method == http.MethodDelete {
		return writeBody{}, nil
	}
	switch req.ContentType.Kind {
	case apireq.MediaJSON, apireq.MediaObject, apireq.MediaArrayNullsStripped:
		return jsonBody(req.Body, req.Columns != nil)
	case apireq.MediaCSV:
		return csvBody(req.Body)
	case apireq.MediaURLEncoded:
		return formBody(req.Body)
	}
	return writeBody{}, apierr.InvalidBody("Content-Type not acceptable: " + req.ContentType.String())
}

func jsonBody(b []byte, haveColumns bool) (writeBody, error) {
	if haveColumns {
		t := bytes.TrimLeft(b, " \t\r\n")
		return writeBody{json: b, isArray: len(t) == 0 || t[0] != '{'}, nil
	}
	shape, err := apireq.ScanJSONBody(b)
	if err != nil {
		return writeBody{}, err
	}
	if shape.IsArray && shape.Rows == 0 {
		return writeBody{json: []byte("[]"), isArray: true}, nil // [] or a scalar: no rows
	}
	keys := shape.Keys
	if keys == nil {
		keys = []string{}
	}
	return writeBody{json: b, isArray: shape.IsArray, keys: keys}, nil
}

// csvBody converts text/csv (header line, then rows; NULL is null) to a JSON array.
func csvBody(b []byte) (writeBody, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if err == io.EOF {
		return writeBody{json: []byte("[]"), isArray: true, keys: []string{}}, nil
	}
	if err != nil {
		return writeBody{}, csvError(err)
	}
	var out bytes.Buffer
	out.WriteByte('[')
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return writeBody{}, csvError(err)
		}
		if rows > 0 {
			out.WriteByte(',')
		}
		rows++
		out.WriteByte('{')
		for i, v := range rec {
			if i > 0 {
				out.WriteByte(',')
			}
			writeJSONString(&out, header[i])
			out.WriteByte(':')
			if v == "NULL" {
				out.WriteString("null")
			} else {
				writeJSONString(&out, v)
			}
		}
		out.WriteByte('}')
	}
	out.WriteByte(']')
	return writeBody{json: out.Bytes(), isArray: true, keys: uniqueKeys(header)}, nil
}

func csvError(err error) error {
	if errors.Is(err, csv.ErrFieldCount) {
		return apierr.InvalidBody("All lines must have same number of fields")
	}
	return apierr.InvalidBody("Error parsing CSV: " + err.Error())
}

// formBody converts application/x-www-form-urlencoded to one JSON object of strings.
func formBody(b []byte) (writeBody, error) {
	var keys []string
	vals := map[string]string{}
	for _, part := range strings.Split(string(b), "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return writeBody{}, apierr.InvalidBody("Empty or invalid json")
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return writeBody{}, apierr.InvalidBody("Empty or invalid json")
		}
		if !utf8.ValidString(dk) || !utf8.ValidString(dv) {
			// PostgreSQL's text cannot hold it, and two such keys would merge into one.
			return writeBody{}, apierr.New(http.StatusBadRequest, "22021", `invalid byte sequence for encoding "UTF8"`, "", "")
		}
		if _, seen := vals[dk]; !seen {
			keys = append(keys, dk)
		}
		vals[dk] = dv
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			out.WriteByte(',')
		}
		writeJSONString(&out, k)
		out.WriteByte(':')
		writeJSONString(&out, vals[k])
	}
	out.WriteByte('}')
	if keys == nil {
		keys = []string{}
	}
	return writeBody{json: out.Bytes(), keys: keys}, nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	buf.Write(b)
}

func uniqueKeys(ks []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, k := range ks {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

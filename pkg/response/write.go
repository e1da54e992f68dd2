package response

import (
	"net/http"
	"strconv"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// WriteKind is the verb of a write, which decides statuses and Content-Range.
type WriteKind uint8

const (
	WriteInsert WriteKind = iota + 1
	WriteUpdate
	WriteDelete
	WritePut
)

// Write describes a successful POST, PATCH, PUT or DELETE on a relation.
type Write struct {
	Kind WriteKind
	// Representation is true for return=representation: Body and ContentType are sent.
	Representation bool
	ContentType    string
	Body           []byte
	// Affected is the number of rows written; Counted says count= was requested.
	Affected int64
	Counted  bool
	// Inserted is the number of rows an upsert really inserted (-1: all affected rows);
	// MergeDuplicates says resolution=merge-duplicates took effect.
	Inserted        int64
	MergeDuplicates bool
	// Location is the Location header value ("" for none).
	Location          string
	PreferenceApplied string
	ContentProfile    string
	GUCHeaders        []byte
	GUCStatus         []byte
}

// ForWrite builds the response of a write, following PostgREST's status and header rules.
func ForWrite(w Write) (*Response, *apierr.Error) {
	h := http.Header{}
	status := http.StatusOK
	total := "*"
	if w.Counted {
		total = strconv.FormatInt(w.Affected, 10)
	}
	switch w.Kind {
	case WriteInsert:
		status = http.StatusCreated
		if w.MergeDuplicates && w.Inserted == 0 {
			status = http.StatusOK
		}
		h.Set("Content-Range", "*/"+total)
	case WriteDelete:
		h.Set("Content-Range", "*/"+total)
	case WriteUpdate:
		rng := "*"
		if w.Affected > 0 {
			rng = "0-" + strconv.FormatInt(w.Affected-1, 10)
		}
		h.Set("Content-Range", rng+"/"+total)
	case WritePut:
		if w.Inserted != 0 {
			status = http.StatusCreated
		}
	}
	if !w.Representation && w.Kind != WriteInsert {
		status = http.StatusNoContent
	}
	if w.Location != "" {
		h.Set("Location", w.Location)
	}
	if w.Representation {
		h.Set("Content-Type", w.ContentType)
		if w.ContentProfile != "" {
			h.Set("Content-Profile", w.ContentProfile)
		}
	}
	if w.PreferenceApplied != "" {
		h.Set("Preference-Applied", w.PreferenceApplied)
	}
	h.Set("Vary", "Accept, Prefer, Range")
	resp := &Response{Status: status, Header: h, Body: w.Body, NoBody: !w.Representation}
	if status == http.StatusNoContent {
		resp.NoLength = true
	}
	if err := ApplyGUCs(resp, w.GUCHeaders, w.GUCStatus); err != nil {
		return nil, err
	}
	return resp, nil
}

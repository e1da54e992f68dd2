package plan

import "github.com/rocksteady/rocksteady/pkg/apireq"

// BodyFormat is how the response body is built.
type BodyFormat uint8

const (
	BodyJSONArray  BodyFormat = iota + 1 // coalesce(json_agg(row), '[]')
	BodyJSONObject                       // the single row, or null
	BodyCSV                              // header line and one line per row
	BodyNone                             // HEAD: no body is built
)

// CountMode is how the total row count is obtained.
type CountMode uint8

const (
	CountNone CountMode = iota
	CountExact
)

// Read is a planned GET/HEAD on a table or view.
type Read struct {
	Root       *Node
	Body       BodyFormat
	StripNulls bool
	Count      CountMode
	// ContentType is the response Content-Type (with charset).
	ContentType string
	// Singular requires exactly one row (vnd.pgrst.object); checked after the query.
	Singular bool
	// Offset is the effective top-level offset, for Content-Range.
	Offset int64
}

// Paged tells whether the root is windowed by limit, offset or max-rows (an exact count
// then needs its own query instead of reusing the page count).
func (r *Read) Paged() bool {
	p := r.Root.Page
	return p.Offset > 0 || p.Limit != apireq.NoLimit || r.Root.MaxRows > 0
}

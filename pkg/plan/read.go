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
	// CountExact counts every row the filters select.
	CountExact
	// CountPlanned takes the planner's row estimate of the count query (EXPLAIN).
	CountPlanned
	// CountEstimated counts exactly up to max-rows + 1 rows, and beyond that takes the
	// larger of that and the planner's estimate; without max-rows it is exact.
	CountEstimated
)

// Read is a planned GET/HEAD on a table or view.
type Read struct {
	// PreferenceApplied is the Preference-Applied header value ("" for none).
	PreferenceApplied string
	Root              *Node
	Body              BodyFormat
	StripNulls        bool
	Count             CountMode
	// ContentType is the response Content-Type (with charset).
	ContentType string
	// Singular requires exactly one row (vnd.pgrst.object); checked after the query.
	Singular bool
	// Offset is the effective top-level offset, for Content-Range.
	Offset int64
	// MaxRows is db-max-rows (0: none); an estimated count is exact up to MaxRows+1.
	MaxRows int64
	// Explain, when set, asks for the statement's EXPLAIN output instead of its rows
	// (application/vnd.pgrst.plan); the other fields describe the explained statement.
	Explain *apireq.PlanRequest
	// Warning is a deprecation notice for the Warning response header ("" for none).
	Warning string
}

// NeedsPlannedCount tells whether the total comes (also) from the planner's estimate of
// the count query, which takes an EXPLAIN next to the main statement.
func (r *Read) NeedsPlannedCount() bool {
	return r.Count == CountPlanned || (r.Count == CountEstimated && r.MaxRows > 0)
}

// Paged tells whether the root is windowed by limit, offset or max-rows (an exact count
// then needs its own query instead of reusing the page count).
func (r *Read) Paged() bool {
	p := r.Root.Page
	return p.Offset > 0 || p.Limit != apireq.NoLimit || r.Root.MaxRows > 0
}

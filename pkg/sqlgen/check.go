package sqlgen

import (
	"crypto/rand"
	"regexp"
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Row-count checks made by the statement itself. A singular write (PGRST116), a write or
// call over its max-affected limit (PGRST124) and a PUT that did not write exactly one row
// (PGRST115) must leave nothing behind. Checked in Go, they would need an explicit
// transaction and a second round trip (the statement, then COMMIT or ROLLBACK); checked in
// SQL, a failing check fails the statement, which rolls the implicit transaction back, and
// a passing one costs nothing: the request stays one round trip.
//
// Plain SQL has no RAISE, so the check fails a cast: casting a text that carries the
// marker, the PGRST code and the row count (separated by slashes, not colons, which
// pgbench would read as variables when make bench replays the statement) to integer raises invalid_text_representation
// (22P02) with that text in the message, which Refusal turns back into the API error. The
// text includes the count, which is known only at run time, so PostgreSQL cannot fold the
// cast into a constant and raise it while planning.

// CountCheck says which checks a statement makes on its row count.
type CountCheck struct {
	Singular bool
	// MaxAffected is the max-affected limit, -1 for none.
	MaxAffected int64
	// Put requires exactly one row (PGRST115).
	Put bool
}

// Needed tells whether c checks anything.
func (c CountCheck) Needed() bool { return c.Singular || c.MaxAffected >= 0 || c.Put }

// refusalMarker starts a refusal's text. Its random part, new in every process, keeps a
// client from forging a refusal with a value of its own that fails the same cast (a
// filter value such as id=eq.rocksteady-refused:… on an integer column).
var refusalMarker = "rocksteady-refused-" + rand.Text()[:12] + "/"

// countCheck writes an expression that is NULL when the row count n (an SQL expression of
// type bigint) passes c, and raises the refusal otherwise, in PostgREST's order: singular,
// max-affected, PUT.
func (b *builder) countCheck(n string, c CountCheck) {
	b.w("CASE")
	refuse := func(code string) {
		b.w(" THEN ('")
		b.w(refusalMarker)
		b.w(code)
		b.w("/' || ")
		b.w(n)
		b.w(")::integer")
	}
	if c.Singular {
		b.w(" WHEN ")
		b.w(n)
		b.w(" <> 1")
		refuse("PGRST116")
	}
	if c.MaxAffected >= 0 {
		b.w(" WHEN ")
		b.w(n)
		b.w(" > ")
		b.param(strconv.FormatInt(c.MaxAffected, 10))
		b.w("::bigint")
		refuse("PGRST124")
	}
	if c.Put {
		b.w(" WHEN ")
		b.w(n)
		b.w(" <> 1")
		refuse("PGRST115")
	}
	b.w(" END")
}

// refusalPattern matches a refusal written by countCheck in any process (whatever its
// marker's random part).
var refusalPattern = regexp.MustCompile(`\('rocksteady-refused-[A-Z2-7]+/PGRST[0-9]+/' \|\| (pgrst_n|pg_catalog\.count\(_postgrest_t\))\)::integer`)

// WithoutRefusal returns sql with its refusals replaced by NULL: the statement does the
// same work but no longer fails its check (make bench replays captured statements this way
// on the floor and in pgbench, which replay the work, not rocksteady's answer).
func WithoutRefusal(sql string) string {
	return refusalPattern.ReplaceAllLiteralString(sql, "NULL::integer")
}

// Refusal returns the API error for a check's failure, given the message of the
// invalid_text_representation error it raised, or nil when the message is not one.
func Refusal(message string) *apierr.Error {
	i := strings.Index(message, refusalMarker)
	if i < 0 {
		return nil
	}
	rest := message[i+len(refusalMarker):]
	code, count, ok := strings.Cut(rest, "/")
	if !ok {
		return nil
	}
	end := 0
	for end < len(count) && count[end] >= '0' && count[end] <= '9' {
		end++
	}
	n, err := strconv.ParseInt(count[:end], 10, 64)
	if err != nil {
		return nil
	}
	switch code {
	case "PGRST116":
		return apierr.Singular(n)
	case "PGRST124":
		return apierr.MaxAffected(n)
	case "PGRST115":
		return apierr.PutMismatch()
	}
	return nil
}

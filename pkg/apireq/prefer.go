package apireq

import (
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// Return is the return= preference.
type Return uint8

const (
	ReturnUnset Return = iota
	ReturnMinimal
	ReturnHeadersOnly
	ReturnRepresentation
)

// Count is the count= preference.
type Count uint8

const (
	CountUnset Count = iota
	CountExact
	CountPlanned
	CountEstimated
)

// Resolution is the resolution= preference (upserts).
type Resolution uint8

const (
	ResolutionUnset Resolution = iota
	MergeDuplicates
	IgnoreDuplicates
)

// Missing is the missing= preference.
type Missing uint8

const (
	MissingUnset Missing = iota
	MissingDefault
	MissingNull
)

// Handling is the handling= preference.
type Handling uint8

const (
	HandlingUnset Handling = iota
	HandlingStrict
	HandlingLenient
)

// Tx is the tx= preference (honored only when db-tx-end allows an override).
type Tx uint8

const (
	TxUnset Tx = iota
	TxCommit
	TxRollback
)

// String methods return the header token ("return=representation"), "" when unset; this
// is also the Preference-Applied form.

func (v Return) String() string {
	return [...]string{"", "return=minimal", "return=headers-only", "return=representation"}[v&3]
}

func (v Count) String() string {
	return [...]string{"", "count=exact", "count=planned", "count=estimated"}[v&3]
}

func (v Resolution) String() string {
	return [...]string{"", "resolution=merge-duplicates", "resolution=ignore-duplicates", ""}[v&3]
}

func (v Missing) String() string {
	return [...]string{"", "missing=default", "missing=null", ""}[v&3]
}

func (v Handling) String() string {
	return [...]string{"", "handling=strict", "handling=lenient", ""}[v&3]
}

func (v Tx) String() string {
	return [...]string{"", "tx=commit", "tx=rollback", ""}[v&3]
}

// Preferences are the Prefer request headers. For every kind the first occurrence wins,
// across all Prefer headers.
type Preferences struct {
	Return     Return
	Count      Count
	Resolution Resolution
	Missing    Missing
	Handling   Handling
	Tx         Tx
	// Timezone is the value of the first timezone= token (HasTimezone tells it was sent).
	Timezone    string
	HasTimezone bool
	// MaxAffected is the first max-affected= token, when it is an integer.
	MaxAffected    int64
	HasMaxAffected bool
	// ParamsSingleObject records params=single-object. PostgREST removed it in v13, so it
	// is also listed in Invalid.
	ParamsSingleObject bool
	// Invalid lists the unrecognised tokens in order of appearance; with handling=strict
	// they fail the request (see StrictError).
	Invalid []string

	maxAffectedSeen bool
}

// ParsePrefer parses the values of all Prefer headers: each is split on ',' and the
// tokens trimmed. Tokens match exactly (case-sensitive); timezone=… and max-affected=…
// are never invalid.
func ParsePrefer(values []string) Preferences {
	var p Preferences
	for _, v := range values {
		if v == "" {
			continue
		}
		for {
			tok, rest, more := strings.Cut(v, ",")
			p.add(strings.TrimFunc(tok, isASCIISpace))
			if !more {
				break
			}
			v = rest
		}
	}
	return p
}

func isASCIISpace(r rune) bool { return r == ' ' || (r >= '\t' && r <= '\r') }

func (p *Preferences) add(tok string) {
	switch tok {
	case "return=minimal":
		setFirst(&p.Return, ReturnMinimal)
	case "return=headers-only":
		setFirst(&p.Return, ReturnHeadersOnly)
	case "return=representation":
		setFirst(&p.Return, ReturnRepresentation)
	case "count=exact":
		setFirst(&p.Count, CountExact)
	case "count=planned":
		setFirst(&p.Count, CountPlanned)
	case "count=estimated":
		setFirst(&p.Count, CountEstimated)
	case "resolution=merge-duplicates":
		setFirst(&p.Resolution, MergeDuplicates)
	case "resolution=ignore-duplicates":
		setFirst(&p.Resolution, IgnoreDuplicates)
	case "missing=default":
		setFirst(&p.Missing, MissingDefault)
	case "missing=null":
		setFirst(&p.Missing, MissingNull)
	case "handling=strict":
		setFirst(&p.Handling, HandlingStrict)
	case "handling=lenient":
		setFirst(&p.Handling, HandlingLenient)
	case "tx=commit":
		setFirst(&p.Tx, TxCommit)
	case "tx=rollback":
		setFirst(&p.Tx, TxRollback)
	default:
		if tz, ok := strings.CutPrefix(tok, "timezone="); ok {
			if !p.HasTimezone {
				p.Timezone, p.HasTimezone = tz, true
			}
			return
		}
		if n, ok := strings.CutPrefix(tok, "max-affected="); ok {
			// Only the first max-affected token counts, even when it is not a number.
			if !p.maxAffectedSeen {
				p.maxAffectedSeen = true
				if v, err := strconv.ParseInt(n, 10, 64); err == nil && !strings.HasPrefix(n, "+") {
					p.MaxAffected, p.HasMaxAffected = v, true
				}
			}
			return
		}
		if tok == "params=single-object" {
			p.ParamsSingleObject = true
		}
		p.Invalid = append(p.Invalid, tok)
	}
}

func setFirst[T ~uint8](dst *T, v T) {
	if *dst == 0 {
		*dst = v
	}
}

// StrictError is PGRST122 when handling=strict is set and invalid preferences were sent,
// else nil. PostgREST checks it after resolving the target (see reference §1).
func (p *Preferences) StrictError() error {
	if p.Handling != HandlingStrict || len(p.Invalid) == 0 {
		return nil
	}
	return apierr.StrictPreferences(p.Invalid)
}

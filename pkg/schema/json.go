package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
)

// FromJSON reads a snapshot written by Dump (or json.Marshal of a Snapshot) and indexes it,
// so planner tests can run on a dumped schema without a database.
func FromJSON(r io.Reader) (*Snapshot, error) {
	var s Snapshot
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("schema: decode snapshot: %w", err)
	}
	for _, rel := range s.Relations {
		if rel == nil {
			return nil, fmt.Errorf("schema: decode snapshot: null relation")
		}
	}
	for _, f := range s.AllFunctions {
		if f == nil {
			return nil, fmt.Errorf("schema: decode snapshot: null function")
		}
	}
	s.index()
	return &s, nil
}

// WriteJSON writes the snapshot as indented JSON. Its slices are sorted and Go sorts map
// keys, so the same catalog always gives the same bytes.
func (s *Snapshot) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// Dump connects to url, loads the snapshot of the exposed schemas and writes it as JSON to
// w (what `rocksteady schema dump` prints).
func Dump(ctx context.Context, url string, schemas []string, w io.Writer) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("schema: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	s, err := Load(ctx, conn, schemas)
	if err != nil {
		return err
	}
	return s.WriteJSON(w)
}

// Command rocksteady is the data plane: serve, migrate, dev and schema dump.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `rocksteady — a Supabase-compatible, PostgREST-style data plane

Usage:
  rocksteady serve                 serve the API (configured by PGRST_* environment variables)
  rocksteady migrate --db-uri URI  apply the embedded sql/ and policies/ migrations
  rocksteady dev                   local PostgreSQL + migrations + API on 127.0.0.1:3000
  rocksteady schema dump           print the schema cache as JSON (uses PGRST_DB_URI, PGRST_DB_SCHEMAS)
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx)
	case "migrate":
		err = migrateCmd(ctx, os.Args[2:])
	case "dev":
		err = dev(ctx)
	case "schema":
		err = schemaCmd(ctx, os.Args[2:])
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "rocksteady: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rocksteady:", err)
		os.Exit(1)
	}
}

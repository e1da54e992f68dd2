package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/rocksteady/rocksteady/pkg/config"
	"github.com/rocksteady/rocksteady/pkg/migrate"
	"github.com/rocksteady/rocksteady/pkg/schema"
)

func migrateCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	uri := fs.String("db-uri", os.Getenv("PGRST_DB_URI"), "superuser URL of the database to migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *uri == "" {
		return errors.New("migrate: --db-uri is required")
	}
	files, err := migrate.Embedded()
	if err != nil {
		return err
	}
	res, err := migrate.Apply(ctx, *uri, files)
	for _, f := range res.Applied {
		fmt.Println("applied", f)
	}
	if err != nil {
		return err
	}
	fmt.Printf("%d applied, %d already applied\n", len(res.Applied), len(res.Skipped))
	return nil
}

// schemaCmd is `rocksteady schema dump`: the schema cache as JSON on standard output.
func schemaCmd(ctx context.Context, args []string) error {
	if len(args) != 1 || args[0] != "dump" {
		return errors.New("usage: rocksteady schema dump")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if err := cfg.RequireDB(); err != nil {
		return err
	}
	return schema.Dump(ctx, cfg.DBURI, cfg.DBSchemas, os.Stdout)
}

// Package migrations holds salesbot's schema as numbered SQL files embedded in
// the binary, plus River's job-queue schema as Go migrations, and applies them.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var sqlFiles embed.FS

// Apply brings the database schema up to date. It is safe to call from
// several processes at once: a Postgres session advisory lock serialises them,
// and whoever comes second finds nothing left to do.
func Apply(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	p, err := provider(db, log)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		if r.Error != nil {
			continue
		}
		log.Info("migration applied",
			"version", r.Source.Version,
			"source", sourceName(r.Source),
			"duration_ms", r.Duration.Milliseconds())
	}
	if err != nil {
		return fmt.Errorf("migrations: apply: %w", err)
	}
	return nil
}

// Version returns the newest schema version applied to the database, and the
// newest this binary knows; a binary may refuse to start on an older schema.
func Version(ctx context.Context, db *sql.DB, log *slog.Logger) (current, latest int64, err error) {
	p, err := provider(db, log)
	if err != nil {
		return 0, 0, err
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrations: read version: %w", err)
	}
	return current, latest, nil
}

func provider(db *sql.DB, log *slog.Logger) (*goose.Provider, error) {
	// Replicas starting together poll the lock every second (goose's default
	// is 5 s) and give up after five minutes.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("migrations: lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sqlFiles,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(riverMigrations(log)...),
	)
	if err != nil {
		return nil, fmt.Errorf("migrations: load: %w", err)
	}
	return p, nil
}

func sourceName(s *goose.Source) string {
	if s.Path != "" {
		return s.Path
	}
	if name, ok := goMigrationNames[s.Version]; ok {
		return name
	}
	return string(s.Type)
}

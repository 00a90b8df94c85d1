package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// River's schema comes from River itself, at the versions the linked River
// release knows; its SQL is never copied here. Its versions cannot all run in
// one transaction (version 4 adds an enum value that version 6 uses), so they
// are split over two goose versions, each in its own transaction. A River
// upgrade that brings new schema versions gets a new goose version here.
const (
	riverStep1Version = 1 // River 1-5
	riverStep2Version = 2 // River 6-8
)

var goMigrationNames = map[int64]string{
	riverStep1Version: "river schema 1-5",
	riverStep2Version: "river schema 6-8",
}

func riverMigrations(log *slog.Logger) []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(riverStep1Version,
			&goose.GoFunc{RunTx: riverTo(log, rivermigrate.DirectionUp, 5)},
			&goose.GoFunc{RunTx: riverTo(log, rivermigrate.DirectionDown, -1)},
		),
		goose.NewGoMigration(riverStep2Version,
			&goose.GoFunc{RunTx: riverTo(log, rivermigrate.DirectionUp, 8)},
			&goose.GoFunc{RunTx: riverTo(log, rivermigrate.DirectionDown, 5)},
		),
	}
}

// riverTo migrates River's schema to target inside goose's transaction. Down
// to -1 removes River's schema entirely.
func riverTo(log *slog.Logger, dir rivermigrate.Direction, target int) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		m, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Logger: log})
		if err != nil {
			return fmt.Errorf("river migrator: %w", err)
		}
		if _, err := m.MigrateTx(ctx, tx, dir, &rivermigrate.MigrateOpts{TargetVersion: target}); err != nil {
			return fmt.Errorf("river migrate %s to %d: %w", dir, target, err)
		}
		return nil
	}
}

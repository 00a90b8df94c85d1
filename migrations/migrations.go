// Package migrations holds salesbot's schema as numbered SQL files embedded in
// the binary, and applies them.
package migrations

import (
	"context"
	"database/sql"
	"log/slog"
)

// Apply brings the database schema up to date. It is safe to call from
// several processes at once: an advisory lock serialises them.
func Apply(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	panic("not yet written")
}

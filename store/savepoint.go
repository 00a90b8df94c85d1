package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Savepoint runs fn inside a savepoint of tx. When fn fails, only its
// changes are undone, tx stays usable, and fn's error is returned; the
// caller decides whether tx goes on.
func (s *Store) Savepoint(ctx context.Context, tx *sqlx.Tx, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT salesbot_step"); err != nil {
		return fmt.Errorf("store: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT salesbot_step"); rerr != nil {
			return errors.Join(err, fmt.Errorf("store: roll back to savepoint: %w", rerr))
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT salesbot_step"); err != nil {
		return fmt.Errorf("store: release savepoint: %w", err)
	}
	return nil
}

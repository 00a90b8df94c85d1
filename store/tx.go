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

// WithTx runs fn in a transaction, committing when fn returns nil and rolling
// back when it returns an error or panics.
func (s *Store) WithTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return withTx(ctx, s.db, fn)
}

func withTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// inTx runs fn in ex when ex is a transaction, and otherwise in a
// transaction of its own on ex's database: a change of several statements
// is whole or not at all, whichever executor the caller gives.
func (s *Store) inTx(ctx context.Context, ex Executor, fn func(tx *sqlx.Tx) error) error {
	switch ex := ex.(type) {
	case *sqlx.Tx:
		return fn(ex)
	case *sqlx.DB:
		return withTx(ctx, ex, fn)
	}
	return fmt.Errorf("store: %T cannot open a transaction", ex)
}

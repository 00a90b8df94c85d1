package localpg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// waitAccepting waits until the server at url answers a query, or until
// timeout passes.
func waitAccepting(ctx context.Context, url string, timeout time.Duration) error {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return fmt.Errorf("open connection: %w", err) // not the URL: it holds the password
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		err = db.PingContext(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("does not accept connections: %w", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ensureDatabase creates the salesbot database unless it exists.
func (s *Server) ensureDatabase(ctx context.Context) error {
	db, err := sql.Open("postgres", s.AdminURL())
	if err != nil {
		return fmt.Errorf("localpg: open maintenance database: %w", err)
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, Database).Scan(&exists); err != nil {
		return fmt.Errorf("localpg: look for database %s: %w", Database, err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(Database))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" {
		return nil // duplicate_database: another process created it meanwhile
	}
	if err != nil {
		return fmt.Errorf("localpg: create database %s: %w", Database, err)
	}
	s.log.Info("created database", "database", Database)
	return nil
}

// Package store persists salesbot's pipeline in Postgres with plain SQL.
// Every query is scoped by the workspace (Slack team) ID, so one workspace can
// never read or change another's rows, whatever ID a user types.
//
// Files are named after the data they read and write: deals*.go (a deal's
// reads, creation, stage, edits, handoff, score, alerts, search and
// sums), accounts.go (accounts and contacts), users*.go and people.go
// (people, teams, notification choices), workspaces.go, settings.go and
// stages.go, followups.go, activities.go and history.go, routing.go,
// handled.go and runs.go (idempotency keys and scheduler runs), demo*.go
// and csv.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // registers the "postgres" driver
)

// ErrNotFound is returned when the asked-for row does not exist in the workspace.
var ErrNotFound = errors.New("store: not found")

// Executor runs queries: a *sqlx.DB (each statement on its own) or a
// *sqlx.Tx. Every store method takes one after its context, so the use case
// decides which reads and writes share a transaction.
type Executor = sqlx.ExtContext

// Pool limits. The bot, its scheduler and River's workers share one pool; idle
// connections are kept up to the limit so bursts do not pay for new connections.
const (
	maxOpenConns    = 20
	maxIdleConns    = 20
	connMaxIdleTime = 5 * time.Minute
	connMaxLifetime = 30 * time.Minute
)

// Open connects to Postgres at url with lib/pq, sets the pool limits and
// checks that the database answers.
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	db.SetConnMaxLifetime(connMaxLifetime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	return db, nil
}

// Store reads and writes the pipeline. It is safe for concurrent use.
type Store struct {
	db *sqlx.DB

	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt // prepared hot-path statements, by query text
}

// New returns a Store over db.
func New(db *sqlx.DB) *Store { return &Store{db: db, stmts: map[string]*sqlx.Stmt{}} }

// DB returns the underlying pool: the executor for statements that need no
// transaction, and what River and transactions are opened on.
func (s *Store) DB() *sqlx.DB { return s.db }

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// notFound turns sql.ErrNoRows into ErrNotFound and leaves other errors alone.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

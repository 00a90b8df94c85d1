package salesdb_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// recorder is a salesdb.Outbox that keeps the notices it is given, in order,
// as the typed values the use cases queue. Tests that use it commit the
// transaction they pass, so what it holds is what was queued.
type recorder struct {
	mu      sync.Mutex
	notices []sales.Notice
}

func (r *recorder) Enqueue(_ context.Context, _ *sql.Tx, n sales.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices = append(r.notices, n)
	return nil
}

func (r *recorder) all() []sales.Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sales.Notice(nil), r.notices...)
}

// recording is a service of e's workspace whose notices go to a recorder.
func (e env) recording(dir sales.Directory) (*salesdb.Service, *recorder) {
	r := &recorder{}
	return e.service(r, dir), r
}

// clock is a hand-moved "now" for one service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// inTx runs f in a transaction of e's database and commits it, failing the
// test when either fails.
func (e env) inTx(t *testing.T, f func(tx *sqlx.Tx) error) {
	t.Helper()
	tx, err := e.db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

package migrations_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/lib/pq"

	"salesbot/internal/pgtest"
	"salesbot/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// emptyDatabase creates a database with no schema at all, dropped after the
// test, and returns its URL.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	base := pgtest.URL(t)
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "test_migrations_empty_" + strings.ToLower(pgtest.TeamID())
	if _, err := admin.ExecContext(t.Context(), "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// logBuffer collects a logger's output, safe for concurrent writers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) applied() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for line := range strings.Lines(b.buf.String()) {
		if strings.Contains(line, `msg="migration applied"`) {
			_, v, _ := strings.Cut(line, "version=")
			v, _, _ = strings.Cut(v, " ")
			out = append(out, v)
		}
	}
	return out
}

func TestApplyTwiceIsANoOp(t *testing.T) {
	db := pgtest.New(t) // already migrated
	var logs logBuffer
	if err := migrations.Apply(t.Context(), db.DB, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	if v := logs.applied(); len(v) != 0 {
		t.Errorf("second apply applied versions %v, want none", v)
	}
	current, latest, err := migrations.Version(t.Context(), db.DB, slog.New(slog.DiscardHandler))
	if err != nil || current != latest || latest < 6 {
		t.Errorf("version = %d of %d (err %v), want up to date", current, latest, err)
	}
}

// Replicas starting together: each version is applied once, by one of them,
// and both end up with the whole schema.
func TestApplyConcurrently(t *testing.T) {
	dbURL := emptyDatabase(t)
	var logs logBuffer
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			db, err := sql.Open("postgres", dbURL)
			if err != nil {
				t.Error(err)
				return
			}
			defer db.Close()
			if err := migrations.Apply(t.Context(), db, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
				t.Errorf("apply: %v", err)
			}
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for _, v := range logs.applied() {
		seen[v]++
	}
	for _, v := range []string{"1", "2", "3", "4", "5", "6"} {
		if seen[v] != 1 {
			t.Errorf("version %s applied %d times, want once (applied: %v)", v, seen[v], seen)
		}
	}

	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"river_job", "river_migration", "workspaces", "deals", "deal_history", "follow_ups"} {
		var exists bool
		if err := db.QueryRowContext(t.Context(), `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing after apply (err %v)", table, err)
		}
	}
	var riverVersion int
	if err := db.QueryRowContext(t.Context(), `SELECT max(version) FROM river_migration`).Scan(&riverVersion); err != nil || riverVersion != 8 {
		t.Errorf("river schema version = %d (err %v), want 8", riverVersion, err)
	}
}

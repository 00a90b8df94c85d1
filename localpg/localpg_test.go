package localpg

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

func TestDataSurvivesRestart(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	ctx := t.Context()
	opts := Options{Dir: dataDir(t), Fast: true, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}

	first := start(t, opts)
	mustExec(t, first.URL(), `CREATE TABLE notes (body text)`, `INSERT INTO notes VALUES ('kept')`)

	// A second Start on a running folder reuses the server, and stopping
	// that handle leaves the server to the one that started it.
	second := start(t, opts)
	if second.Port() != first.Port() {
		t.Fatalf("second Start uses port %d, want the running server's %d", second.Port(), first.Port())
	}
	if err := second.Stop(ctx); err != nil {
		t.Fatalf("stop reusing handle: %v", err)
	}
	mustExec(t, first.URL(), `SELECT 1`)

	if err := first.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	// A postmaster.pid naming a live process that is not Postgres (this
	// test), as after a container restart, must not block the next start.
	stale := fmt.Sprintf("%d\n%s\n", os.Getpid(), opts.Dir)
	if err := os.WriteFile(filepath.Join(opts.Dir, pidFileName), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}

	again := start(t, opts)
	if again.Port() != first.Port() {
		t.Errorf("restarted on port %d, want the remembered %d", again.Port(), first.Port())
	}
	var body string
	db := open(t, again.URL())
	if err := db.QueryRowContext(ctx, `SELECT body FROM notes`).Scan(&body); err != nil || body != "kept" {
		t.Fatalf("after restart: body %q, err %v; want %q", body, err, "kept")
	}
}

func TestStopDirWithoutServer(t *testing.T) {
	t.Parallel()
	if err := StopDir(t.Context(), t.TempDir()); err != nil {
		t.Fatalf("StopDir on a folder without a server: %v", err)
	}
}

// requirePostgres skips without Postgres binaries, except in CI, where the
// test runner installs them and their absence is a failure.
func requirePostgres(t *testing.T) {
	t.Helper()
	if _, err := findBinaries(t.Context(), ""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// dataDir is a fresh data folder that the postgres user can reach when the
// test runs as root (the test's temporary folder is private to root).
func dataDir(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	if os.Geteuid() == 0 {
		for _, d := range []string{tmp, filepath.Dir(tmp)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(tmp, "pg")
}

func start(t *testing.T, o Options) *Server {
	t.Helper()
	s, err := Start(t.Context(), o)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return s
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, url string, stmts ...string) {
	t.Helper()
	db := open(t, url)
	for _, q := range stmts {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

package localpg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lib/pq"
)

// TestPasswordRequired: a local user who does not know the password cannot
// connect, neither over TCP nor through the unix socket.
func TestPasswordRequired(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	opts := Options{Dir: dataDir(t), Fast: true, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}
	s := start(t, opts)
	mustExec(t, s.URL(), `SELECT 1`)
	requirePrivateFile(t, filepath.Join(opts.Dir, passwordName))

	for name, dsn := range map[string]string{
		"tcp":    fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port()),
		"socket": fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable", opts.Dir, s.Port()),
	} {
		requireRefused(t, name, dsn)
	}
}

// requirePrivateFile fails unless path is readable by its owner only.
func requirePrivateFile(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("password file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("%s has mode %o, want 600", path, perm)
	}
}

// TestTrustClusterUpgraded: a data folder that an older salesbot initialised
// with trust authentication keeps its data and from then on requires the
// password, whether its server was stopped or still running at the upgrade.
func TestTrustClusterUpgraded(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	for _, running := range []bool{false, true} {
		t.Run(fmt.Sprintf("running=%v", running), func(t *testing.T) {
			t.Parallel() // a cluster of its own
			opts := Options{Dir: dataDir(t), Fast: true, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}
			old := startTrustCluster(t, opts.Dir)
			mustExec(t, old.URL(), `CREATE TABLE notes (body text)`, `INSERT INTO notes VALUES ('kept')`)
			if !running {
				if err := old.Stop(t.Context()); err != nil {
					t.Fatalf("stop the old server: %v", err)
				}
			}

			s := start(t, opts)
			var body string
			if err := open(t, s.URL()).QueryRowContext(t.Context(), `SELECT body FROM notes`).Scan(&body); err != nil || body != "kept" {
				t.Fatalf("after the upgrade: body %q, err %v; want %q", body, err, "kept")
			}
			requirePrivateFile(t, filepath.Join(opts.Dir, passwordName))
			requireRefused(t, "tcp", fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port()))

			// The next start finds everything in place, password included.
			if err := StopDir(t.Context(), opts.Dir); err != nil {
				t.Fatalf("stop: %v", err)
			}
			mustExec(t, start(t, opts).URL(), `SELECT body FROM notes`)
		})
	}
}

// startTrustCluster creates and starts a cluster the way salesbot did before
// it set a password: initdb --auth=trust, and the same settings file.
func startTrustCluster(t *testing.T, dir string) *Server {
	t.Helper()
	ctx := t.Context()
	acct, err := currentAccount()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := findBinaries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := prepareDir(dir, acct); err != nil {
		t.Fatal(err)
	}
	if out, err := acct.run(ctx, filepath.Join(bin, "initdb"), "-D", dir, "--username=postgres", "--auth=trust", "--no-locale", "--no-sync", "--no-instructions"); err != nil {
		t.Fatalf("initdb: %v: %s", err, out)
	}
	s := &Server{dir: dir, bin: bin, acct: acct, log: slog.New(slog.DiscardHandler)}
	if s.port, err = choosePort(dir, 0); err != nil {
		t.Fatal(err)
	}
	if err := writeSettings(dir, s.port, true, acct); err != nil {
		t.Fatal(err)
	}
	if err := includeSettings(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { StopDir(context.Background(), dir) })
	if err := s.start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.ensureDatabase(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// requireRefused fails unless connecting with dsn fails for a wrong password.
func requireRefused(t *testing.T, name, dsn string) {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.PingContext(t.Context())
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "28P01" {
		t.Errorf("%s connection without the password: error %v, want password authentication failed (28P01)", name, err)
	}
}

// TestPrivateFolderAsRoot: root runs salesbot from a folder the postgres
// user may not enter, such as a clone in root's home folder.
func TestPrivateFolderAsRoot(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	if os.Geteuid() != 0 {
		t.Skip("runs only as root: it checks how root's private folders are handled")
	}
	private := t.TempDir() // 0700, owned by root
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	opts := Options{Dir: filepath.Join(private, "data", "postgres"), Fast: true, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))}

	first := start(t, opts)
	mustExec(t, first.URL(), `CREATE TABLE notes (body text)`, `INSERT INTO notes VALUES ('kept')`)
	if err := first.Stop(t.Context()); err != nil {
		t.Fatalf("stop: %v", err)
	}
	again := start(t, opts)
	var body string
	if err := open(t, again.URL()).QueryRowContext(t.Context(), `SELECT body FROM notes`).Scan(&body); err != nil || body != "kept" {
		t.Fatalf("after restart: body %q, err %v; want %q", body, err, "kept")
	}
	cluster, err := filepath.EvalSymlinks(opts.Dir)
	if err != nil || !strings.HasPrefix(cluster, throwawayHome+"/") {
		t.Fatalf("data folder leads to %q (%v), want a cluster the postgres user can reach in %s", cluster, err, throwawayHome)
	}

	// make clean-data removes both the link and the cluster it leads to.
	if err := RemoveDir(t.Context(), opts.Dir); err != nil {
		t.Fatalf("RemoveDir: %v", err)
	}
	for _, p := range []string{opts.Dir, cluster} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("after RemoveDir, %s: %v; want it gone", p, err)
		}
	}
}

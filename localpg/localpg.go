// Package localpg runs a private Postgres cluster from the machine's Postgres
// binaries. `salesbot run` uses it when no DATABASE_URL is set, and the test
// runner uses it for a throwaway test database.
//
// The cluster lives entirely in one data folder: its files, its settings, the
// port it listens on, its unix socket and the superuser's password. It listens
// on 127.0.0.1 only, lets in only connections that give that password, and
// its data survives restarts.
package localpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// superuser is the role initdb creates; every URL connects as it.
const superuser = "postgres"

// Database is the database Start creates for salesbot.
const Database = "salesbot"

// Options says where and how to run the cluster.
type Options struct {
	// Dir is the data folder, for example "data/postgres". It is created if
	// missing, and initialised if empty. When root runs Start and the
	// postgres user may not walk down to Dir (a folder in root's home, say),
	// the cluster is created under /var/lib/salesbot (Fast: /tmp) instead and
	// Dir becomes a link to it; RemoveDir deletes both.
	Dir string
	// Port is the TCP port on 127.0.0.1. Zero picks a free port the first
	// time and remembers it in the data folder.
	Port int
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
	// Install lets Start install Debian's postgresql package with apt-get when
	// no Postgres binaries are found and the process runs as root.
	Install bool
	// Fast trades durability for speed (fsync off and the like). Only for
	// throwaway clusters such as test databases: a crash can corrupt them.
	Fast bool
}

// Server is a running cluster, either started by Start or found running
// from the same data folder.
type Server struct {
	dir      string
	bin      string
	port     int
	acct     account
	password string // the superuser's; "" only while a server still trusts everyone
	log      *slog.Logger
	started  bool // Stop only stops a server this Server started
}

// Start makes sure a cluster runs from o.Dir and accepts connections, and that
// the salesbot database exists. It initialises an empty folder, reuses a
// server already running from the folder, and clears a postmaster.pid left by
// a server that died.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.Dir == "" {
		return nil, errors.New("localpg: no data folder given")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("localpg: resolve data folder %s: %w", o.Dir, err)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("data_dir", dir)

	acct, err := currentAccount()
	if err != nil {
		return nil, err
	}
	if dir, err = placeCluster(dir, acct, o.Fast, log); err != nil {
		return nil, err
	}
	bin, err := binariesFor(ctx, dir, o.Install, log)
	if err != nil {
		return nil, err
	}
	if err := prepareDir(dir, acct); err != nil {
		return nil, err
	}
	unlock, err := lockDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	s := &Server{dir: dir, bin: bin, acct: acct, log: log}
	// Known before a running server is reused: the URLs carry it.
	if s.password, err = readPassword(dir); err != nil {
		return nil, err
	}

	if ok, err := s.reuseRunning(ctx, o.Port); err != nil || ok {
		if err != nil {
			return nil, err
		}
		if err := s.secure(ctx, true); err != nil {
			return nil, err
		}
		return s.ready(ctx)
	}
	if err := s.initIfEmpty(ctx, o.Fast); err != nil {
		return nil, err
	}
	if s.port, err = choosePort(dir, o.Port); err != nil {
		return nil, err
	}
	if err := writeSettings(dir, s.port, o.Fast, acct); err != nil {
		return nil, err
	}
	if err := includeSettings(dir); err != nil {
		return nil, err
	}
	if err := s.secure(ctx, false); err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		// Another process may have started the same folder at the same
		// moment; if so, use its server rather than fail.
		if ok, rerr := s.reuseRunning(ctx, o.Port); rerr == nil && ok {
			if err := s.secure(ctx, true); err != nil {
				return nil, err
			}
			return s.ready(ctx)
		}
		return nil, err
	}
	return s.ready(ctx)
}

// ready finishes Start: it creates the salesbot database, and stops the
// server again if that fails so that a failed Start leaves nothing running.
func (s *Server) ready(ctx context.Context) (*Server, error) {
	if err := s.ensureDatabase(ctx); err != nil {
		if stopErr := s.Stop(context.WithoutCancel(ctx)); stopErr != nil {
			s.log.Warn("stop postgres after failed start", "error", stopErr)
		}
		return nil, err
	}
	return s, nil
}

// URL is the connection URL of the salesbot database. It holds the
// password: keep it out of logs.
func (s *Server) URL() string { return s.url(Database) }

// AdminURL is the connection URL of the "postgres" maintenance database, for
// creating and dropping databases. It holds the password, like URL.
func (s *Server) AdminURL() string { return s.url("postgres") }

func (s *Server) url(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User(superuser), Host: fmt.Sprintf("127.0.0.1:%d", s.port), Path: "/" + db, RawQuery: "sslmode=disable"}
	if s.password != "" {
		u.User = url.UserPassword(superuser, s.password)
	}
	return u.String()
}

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return s.port }

// Stop shuts the server down (fast mode: open transactions are rolled back)
// if this Server started it; a server that was already running when Start was
// called is left running for whoever started it.
func (s *Server) Stop(ctx context.Context) error {
	if !s.started {
		return nil
	}
	if err := stopCluster(ctx, s.bin, s.acct, s.dir); err != nil {
		return err
	}
	s.started = false
	s.log.Info("postgres stopped")
	return nil
}

// StopDir stops whatever server runs from the data folder dir, whoever
// started it. It does nothing when none runs.
func StopDir(ctx context.Context, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("localpg: resolve data folder: %w", err)
	}
	// The postgres user may be unable to follow a link in root's folders.
	if real, linked, _ := followLink(dir); linked && real != "" {
		dir = real
	}
	if _, err := os.Stat(filepath.Join(dir, pidFileName)); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	bin, err := binariesFor(ctx, dir, false, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	acct, err := currentAccount()
	if err != nil {
		return err
	}
	return stopCluster(ctx, bin, acct, dir)
}

func stopCluster(ctx context.Context, bin string, acct account, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := acct.run(ctx, filepath.Join(bin, "pg_ctl"), "stop", "-D", dir, "-m", "fast", "-w", "-s")
	if err != nil {
		if _, serr := os.Stat(filepath.Join(dir, pidFileName)); errors.Is(serr, os.ErrNotExist) {
			return nil // it was not running
		}
		return fmt.Errorf("localpg: stop postgres in %s: %w: %s", dir, err, out)
	}
	return nil
}

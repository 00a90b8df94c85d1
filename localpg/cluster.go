package localpg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// logName is the server's log file, inside the data folder.
const logName = "server.log"

// initIfEmpty runs initdb when the data folder holds no cluster yet.
func (s *Server) initIfEmpty(ctx context.Context, fast bool) error {
	if clusterVersion(s.dir) != "" {
		return nil
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("localpg: read data folder %s: %w", s.dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("localpg: data folder %s is not empty but holds no Postgres cluster: empty it or choose another folder", s.dir)
	}
	s.log.Info("creating postgres cluster")
	// Nobody gets in until secure sets the password and writes pg_hba.conf,
	// before the first start.
	args := []string{"-D", s.dir, "--username=" + superuser, "--auth=reject", "--encoding=UTF8", "--no-instructions"}
	if fast {
		args = append(args, "--no-sync")
	}
	initdb := filepath.Join(s.bin, "initdb")
	// C.UTF-8 sorts by code point, the same on every machine, while still
	// knowing upper and lower case beyond ASCII. A system without it gets
	// the plain C locale.
	out, err := s.acct.run(ctx, initdb, append(args, "--locale=C.UTF-8")...)
	if err != nil && strings.Contains(out, "locale") {
		out, err = s.acct.run(ctx, initdb, append(args, "--no-locale")...)
	}
	if err != nil {
		return fmt.Errorf("localpg: initdb %s: %w: %s", s.dir, err, lastLines(out, 20))
	}
	return nil
}

// includeSettings makes postgresql.conf include the settings file, unless it
// already does.
func includeSettings(dir string) error {
	path := filepath.Join(dir, "postgresql.conf")
	conf, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("localpg: read postgresql.conf: %w", err)
	}
	line := fmt.Sprintf("include = '%s'", settingsName)
	if strings.Contains(string(conf), line) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("localpg: open postgresql.conf: %w", err)
	}
	if _, err := fmt.Fprintf(f, "\n# Where and how this private cluster listens (rewritten at every start).\n%s\n", line); err != nil {
		f.Close()
		return fmt.Errorf("localpg: add settings to postgresql.conf: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("localpg: add settings to postgresql.conf: %w", err)
	}
	return nil
}

// start runs the server in the background with pg_ctl and waits until it
// accepts connections.
func (s *Server) start(ctx context.Context) error {
	s.log.Info("starting postgres", "port", s.port)
	logFile := filepath.Join(s.dir, logName)
	if _, err := os.Stat(logFile); os.IsNotExist(err) {
		// Created by us so the postgres user can append to it, and readable
		// by that user only, like the rest of the folder.
		if err := os.WriteFile(logFile, nil, 0o600); err != nil {
			return fmt.Errorf("localpg: create server log: %w", err)
		}
		if err := s.acct.own(logFile); err != nil {
			return err
		}
	}
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := s.acct.run(startCtx, filepath.Join(s.bin, "pg_ctl"), "start", "-D", s.dir, "-l", logFile, "-w", "-t", "110", "-s")
	if err != nil {
		return fmt.Errorf("localpg: start postgres in %s: %w: %s\nserver log:\n%s", s.dir, err, out, tailFile(logFile, 15))
	}
	s.started = true
	if err := waitAccepting(ctx, s.AdminURL(), 30*time.Second); err != nil {
		if stopErr := s.Stop(context.WithoutCancel(ctx)); stopErr != nil {
			s.log.Warn("stop postgres that does not accept connections", "error", stopErr)
		}
		return fmt.Errorf("localpg: postgres started in %s but %w\nserver log:\n%s", s.dir, err, tailFile(logFile, 15))
	}
	s.log.Info("postgres started", "port", s.port)
	return nil
}

func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return lastLines(string(b), n)
}

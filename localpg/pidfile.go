package localpg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pidFileName is the lock file a running server keeps in its data folder.
const pidFileName = "postmaster.pid"

// pidFile is what postmaster.pid says: the server's process and port.
type pidFile struct {
	pid  int
	port int
}

// readPidFile reads postmaster.pid; ok is false when there is none.
func readPidFile(dir string) (pf pidFile, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, pidFileName))
	if errors.Is(err, os.ErrNotExist) {
		return pidFile{}, false, nil
	}
	if err != nil {
		return pidFile{}, false, fmt.Errorf("localpg: read %s: %w", pidFileName, err)
	}
	// Line 1 is the PID, line 4 the port; a server still starting may not
	// have written every line yet.
	lines := strings.Split(string(b), "\n")
	pf.pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	if len(lines) > 3 {
		pf.port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	return pf, true, nil
}

// holder says who holds a postmaster.pid.
type holder int

const (
	holderGone    holder = iota // no such process
	holderOther                 // a process that is not this folder's server
	holderServer                // the Postgres server of this folder
	holderUnknown               // a live process we cannot identify
)

// reuseRunning looks for a server already running from the data folder and
// returns true once it accepts connections. It clears a postmaster.pid whose
// PID now belongs to another process, as happens after a container restart:
// Postgres would take that process for the old server and refuse to start.
func (s *Server) reuseRunning(ctx context.Context, askedPort int) (bool, error) {
	pf, ok, err := readPidFile(s.dir)
	if err != nil || !ok {
		return false, err
	}
	wait := 30 * time.Second // ours may still be starting or recovering
	switch processHolding(pf.pid, s.dir) {
	case holderGone:
		// Postgres replaces a dead server's lock files itself, after making
		// sure none of its processes still uses the shared memory.
		return false, nil
	case holderOther:
		return false, s.clearStaleLocks(ctx, pf.pid)
	case holderUnknown:
		// Probably a server started in a way we cannot see; check whether
		// it answers, but do not wait as long as for one we recognise.
		wait = 5 * time.Second
	}
	port := pf.port
	if port == 0 {
		port = rememberedPort(s.dir)
	}
	if askedPort != 0 && port != askedPort {
		return false, fmt.Errorf("localpg: a server already runs from %s on port %d, not %d: stop it (pg_ctl stop -D %s) or use port %d", s.dir, port, askedPort, s.dir, port)
	}
	s.port = port
	if err := waitAccepting(ctx, s.AdminURL(), wait); err != nil {
		return false, fmt.Errorf("localpg: process %d holds %s but %w: stop it (pg_ctl stop -D %s), or if no server runs from that folder delete %s",
			pf.pid, s.dir, err, s.dir, filepath.Join(s.dir, pidFileName))
	}
	s.log.Info("reusing running postgres", "pid", pf.pid, "port", port)
	return true, nil
}

// processHolding decides whether pid is a live Postgres server for dir.
func processHolding(pid int, dir string) holder {
	if pid <= 0 {
		return holderGone
	}
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return holderGone
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return holderUnknown // no /proc here
	}
	// A zombie (an unreaped dead server) has an empty command line. A
	// server's main process keeps its command line; its children rename
	// themselves "postgres: ..." and are never what a postmaster.pid names.
	args := strings.Split(string(bytes.TrimRight(raw, "\x00")), "\x00")
	name := filepath.Base(args[0])
	if strings.Contains(args[0], ": ") || (name != "postgres" && name != "postmaster") {
		return holderOther
	}
	for i := 1; i+1 < len(args); i++ {
		if args[i] == "-D" {
			return sameDir(args[i+1], dir)
		}
	}
	return holderUnknown
}

// sameDir compares the folder a server was started on with ours.
func sameDir(theirs, ours string) holder {
	if !filepath.IsAbs(theirs) {
		return holderUnknown // relative to a working folder we do not know
	}
	a, errA := filepath.EvalSymlinks(theirs)
	b, errB := filepath.EvalSymlinks(ours)
	if errA != nil || errB != nil {
		return holderUnknown
	}
	if a == b {
		return holderServer
	}
	return holderOther
}

// clearStaleLocks removes the lock files (postmaster.pid and the socket's)
// that name pid, once no process of the dead server is left: its children
// notice that it died and exit within moments, and a new server must not
// start while they still use the folder.
func (s *Server) clearStaleLocks(ctx context.Context, pid int) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		left := processesIn(s.dir)
		if len(left) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("localpg: processes %v of a Postgres server that died still run in %s: stop them, then start again", left, s.dir)
		case <-time.After(200 * time.Millisecond):
		}
	}
	s.log.Info("removing stale lock files", "pid", pid)
	locks, _ := filepath.Glob(filepath.Join(s.dir, ".s.PGSQL.*.lock"))
	for _, path := range append(locks, filepath.Join(s.dir, pidFileName)) {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		first, _, _ := strings.Cut(string(b), "\n")
		if strings.TrimSpace(first) != strconv.Itoa(pid) {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("localpg: remove stale lock file %s: %w", path, err)
		}
	}
	return nil
}

// processesIn lists the processes whose working folder is dir: every
// Postgres process works in its data folder. Without /proc it finds none.
func processesIn(dir string) []int {
	want, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd")); err == nil && cwd == want {
			pids = append(pids, pid)
		}
	}
	return pids
}

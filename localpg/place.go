package localpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Where a root process keeps a cluster whose data folder the postgres user
// cannot reach, such as one in root's home folder: a lasting cluster under
// lastingHome, a throwaway one (Options.Fast) in /tmp. The data folder then
// becomes a symbolic link to it, so that later starts find it.
const (
	lastingHome   = "/var/lib/salesbot"
	throwawayHome = "/tmp"
	movedPrefix   = "salesbot-postgres-"
)

// placeCluster returns the folder the cluster really lives in: dir itself,
// where dir points if it is a link, or, for root when the postgres user may
// not walk down to dir, a new folder that dir then points to.
func placeCluster(dir string, a account, fast bool, log *slog.Logger) (string, error) {
	for range 2 { // twice: another process may create the link meanwhile
		if real, linked, err := followLink(dir); err != nil || linked {
			return real, err
		}
		if a.cred == nil {
			return dir, nil
		}
		// The parent's real path is what the postgres user walks down.
		if parent, err := filepath.EvalSymlinks(filepath.Dir(dir)); err == nil {
			dir = filepath.Join(parent, filepath.Base(dir))
		}
		unreachable := a.checkReachable(dir)
		if unreachable == nil {
			return dir, nil
		}
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return "", unreachable // a cluster (or something) is already there
		}
		moved, err := moveAway(dir, fast)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		log.Info("the postgres user cannot reach the data folder: the cluster lives elsewhere and the data folder points to it", "cluster_dir", moved)
		return moved, nil
	}
	return "", fmt.Errorf("localpg: %s keeps changing while starting: is another salesbot starting from it?", dir)
}

// followLink resolves dir when it is a symbolic link.
func followLink(dir string) (real string, linked bool, err error) {
	fi, err := os.Lstat(dir)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return dir, false, nil
	}
	real, err = filepath.EvalSymlinks(dir)
	if err != nil {
		target, _ := os.Readlink(dir)
		return "", true, fmt.Errorf("localpg: the data folder %s points to %s, which is gone (%v): restore it, or delete %s to start with an empty database", dir, target, err, dir)
	}
	return real, true, nil
}

// moveAway creates a private folder in a place every user can walk down to
// and replaces the empty or missing dir with a link to it.
func moveAway(dir string, fast bool) (string, error) {
	home := lastingHome
	if fast {
		home = throwawayHome
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return "", fmt.Errorf("localpg: create %s for a cluster the postgres user can reach: %w", home, err)
	}
	moved, err := os.MkdirTemp(home, movedPrefix)
	if err != nil {
		return "", fmt.Errorf("localpg: create a cluster folder in %s: %w", home, err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		os.Remove(moved)
		return "", fmt.Errorf("localpg: create parent of data folder %s: %w", dir, err)
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		os.Remove(moved)
		return "", fmt.Errorf("localpg: replace the empty data folder %s with a link: %w", dir, err)
	}
	if err := os.Symlink(moved, dir); err != nil {
		os.Remove(moved)
		if errors.Is(err, os.ErrExist) {
			return "", os.ErrExist
		}
		return "", fmt.Errorf("localpg: link %s to the cluster in %s: %w", dir, moved, err)
	}
	return moved, nil
}

// RemoveDir stops whatever server runs from the data folder dir and deletes
// the folder, together with the cluster it points to when Start placed that
// elsewhere (see Options.Dir). A link to any other folder is removed, not
// what it points to.
func RemoveDir(ctx context.Context, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("localpg: resolve data folder: %w", err)
	}
	if err := StopDir(ctx, dir); err != nil {
		return err
	}
	if real, linked, _ := followLink(dir); linked && real != "" && placedByUs(real) {
		if err := os.RemoveAll(real); err != nil {
			return fmt.Errorf("localpg: delete the cluster %s that %s points to: %w", real, dir, err)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("localpg: delete data folder %s: %w", dir, err)
	}
	return nil
}

func placedByUs(real string) bool {
	parent := filepath.Dir(real)
	return (parent == lastingHome || parent == throwawayHome) && strings.HasPrefix(filepath.Base(real), movedPrefix)
}

// lockDir holds an exclusive lock on the data folder until unlock is called,
// so that two processes starting the same folder at once do not both set a
// password: the second waits, then finds the first's server.
func lockDir(ctx context.Context, dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("localpg: open data folder %s: %w", dir, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("localpg: lock data folder %s: %w", dir, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("localpg: wait for another process starting %s: %w", dir, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

package localpg

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// account is the OS user the Postgres programs run as. Postgres refuses to
// run as root, so a root process runs them as the "postgres" user (which
// Debian's package creates) and hands that user the data folder.
type account struct {
	uid, gid int
	groups   []int
	cred     *syscall.Credential // nil: run as ourselves
}

func currentAccount() (account, error) {
	if os.Geteuid() != 0 {
		return account{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return account{}, fmt.Errorf("localpg: running as root needs a \"postgres\" OS user to run Postgres as: install postgresql (it creates one), run as another user, or set DATABASE_URL: %w", err)
	}
	a := account{}
	if a.uid, err = strconv.Atoi(u.Uid); err != nil {
		return account{}, fmt.Errorf("localpg: read uid of user postgres: %w", err)
	}
	if a.gid, err = strconv.Atoi(u.Gid); err != nil {
		return account{}, fmt.Errorf("localpg: read gid of user postgres: %w", err)
	}
	cred := &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil {
				a.groups = append(a.groups, g)
				cred.Groups = append(cred.Groups, uint32(g))
			}
		}
	}
	a.cred = cred
	return a, nil
}

// run runs a Postgres program as the account and returns what it printed.
func (a account) run(ctx context.Context, name string, args ...string) (string, error) {
	return a.runInput(ctx, "", name, args...)
}

// runInput is run with input on the program's standard input.
func (a account) runInput(ctx context.Context, input, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if input != "" {
		cmd.Stdin = strings.NewReader(input)
	}
	// The postgres user may not be able to enter our working directory, and
	// every path we pass is absolute.
	cmd.Dir = "/"
	cmd.Env = postgresEnv()
	if a.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: a.cred}
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	// pg_ctl start leaves the server running; should it ever keep our output
	// pipe open, do not wait for it forever.
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}

// postgresEnv is our environment without PG* variables, which would
// otherwise change which folder, port or host the Postgres programs use.
func postgresEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// own gives path to the account, when that is another user.
func (a account) own(path string) error {
	if a.cred == nil {
		return nil
	}
	if err := os.Lchown(path, a.uid, a.gid); err != nil {
		return fmt.Errorf("localpg: give %s to user postgres: %w", path, err)
	}
	return nil
}

// checkReachable fails with advice when the account cannot walk down to dir,
// which happens when root keeps the data folder under a private home folder.
func (a account) checkReachable(dir string) error {
	if a.cred == nil {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("localpg: check folder %s: %w", p, err)
		}
		if !a.canSearch(fi) {
			return fmt.Errorf("localpg: the postgres OS user cannot reach %s because it may not enter %s: run `chmod o+x %s`, choose a data folder elsewhere, or set DATABASE_URL", dir, p, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func (a account) canSearch(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true // cannot tell; let Postgres report it
	}
	mode := fi.Mode().Perm()
	switch {
	case int(st.Uid) == a.uid:
		return mode&0o100 != 0
	case int(st.Gid) == a.gid || a.inGroup(int(st.Gid)):
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}

func (a account) inGroup(gid int) bool {
	for _, g := range a.groups {
		if g == gid {
			return true
		}
	}
	return false
}

// prepareDir creates the data folder (private, as Postgres insists) with
// ordinary parents, and makes sure the account can use it.
func prepareDir(dir string, a account) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("localpg: create parent of data folder %s: %w", dir, err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return fmt.Errorf("localpg: create data folder %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("localpg: check data folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("localpg: data folder %s is a file: move it away or choose another folder", dir)
	}
	if err := a.checkReachable(dir); err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && a.cred != nil && int(st.Uid) != a.uid {
		if err := a.own(dir); err != nil {
			return err
		}
	}
	return nil
}

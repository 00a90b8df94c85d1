package localpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// debianRoot is where Debian and Ubuntu put each Postgres major version's
// programs, side by side.
const debianRoot = "/usr/lib/postgresql"

var errNoBinaries = errors.New("localpg: Postgres binaries not found: install postgresql (for example `apt-get install postgresql`) or set DATABASE_URL")

// binariesFor finds the folder of initdb, pg_ctl and postgres suited to the
// cluster in dir: the version that created it, or the newest for a new one.
// With install, a root process installs Debian's postgresql when none exist.
func binariesFor(ctx context.Context, dir string, install bool, log *slog.Logger) (string, error) {
	want := clusterVersion(dir)
	bin, err := findBinaries(ctx, want)
	if err == nil {
		return bin, nil
	}
	if !errors.Is(err, errNoBinaries) || !install {
		return "", err
	}
	if os.Geteuid() != 0 {
		return "", fmt.Errorf("%w (installing it needs root)", errNoBinaries)
	}
	if err := installPostgres(ctx, log); err != nil {
		return "", err
	}
	if bin, err = findBinaries(ctx, want); err != nil {
		return "", fmt.Errorf("after installing postgresql: %w", err)
	}
	return bin, nil
}

// clusterVersion is the major version recorded in an existing cluster, or "".
func clusterVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "PG_VERSION"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// findBinaries returns the first usable binaries folder: pg_config's answer,
// then the newest Debian-style folder, then whatever initdb is on PATH. With
// want set, only that major version will do.
func findBinaries(ctx context.Context, want string) (string, error) {
	var candidates []string
	if want != "" {
		candidates = append(candidates, filepath.Join(debianRoot, want, "bin"))
	}
	if out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	candidates = append(candidates, debianBinDirs()...)
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}

	var seen []string
	tried := map[string]bool{}
	for _, dir := range candidates {
		if tried[dir] || !hasPrograms(dir) {
			continue
		}
		tried[dir] = true
		major, err := majorVersion(ctx, dir)
		if err != nil {
			continue
		}
		if want == "" || major == want {
			return dir, nil
		}
		seen = append(seen, fmt.Sprintf("%s in %s", major, dir))
	}
	if len(seen) > 0 {
		return "", fmt.Errorf("localpg: the data folder holds a Postgres %s cluster but only Postgres %s was found: install Postgres %s, upgrade the folder with pg_upgrade, or move it away to start afresh", want, strings.Join(seen, ", "), want)
	}
	return "", errNoBinaries
}

// debianBinDirs lists the Debian-style folders, newest major version first.
func debianBinDirs() []string {
	entries, err := os.ReadDir(debianRoot)
	if err != nil {
		return nil
	}
	type versioned struct {
		n   int
		dir string
	}
	var vs []versioned
	for _, e := range entries {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			vs = append(vs, versioned{n, filepath.Join(debianRoot, e.Name(), "bin")})
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].n > vs[j].n })
	dirs := make([]string, len(vs))
	for i, v := range vs {
		dirs[i] = v.dir
	}
	return dirs
}

func hasPrograms(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// majorVersion asks the server program its version ("postgres (PostgreSQL)
// 15.14 ..." gives "15"); asking for it is allowed even as root.
func majorVersion(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return "", fmt.Errorf("localpg: ask %s for its version: %w", dir, err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("localpg: unexpected version from %s: %q", dir, out)
	}
	return string(m[1]), nil
}

// installPostgres installs Debian's postgresql package. The package may
// create and start a system cluster of its own; we neither use nor stop it.
func installPostgres(ctx context.Context, log *slog.Logger) error {
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("%w (apt-get is not available to install it)", errNoBinaries)
	}
	log.Info("Postgres binaries not found: installing postgresql with apt-get")
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	for _, args := range [][]string{
		{"update", "-q"},
		{"install", "-y", "-q", "--no-install-recommends", "postgresql"},
	} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("localpg: apt-get %s: %w: %s", strings.Join(args, " "), err, lastLines(string(out), 20))
		}
	}
	log.Info("installed postgresql")
	return nil
}

// lastLines keeps the end of a long program output for an error message.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

package localpg

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// settingsName is the file, included from postgresql.conf, that holds where
// the cluster listens. It is rewritten at every start so that it follows the
// data folder when that moves; ALTER SYSTEM still overrides it.
const settingsName = "salesbot.conf"

// maxSocketPath is the longest unix socket path the kernel accepts (108
// bytes with the terminating NUL on Linux, 104 on BSDs), kept safe.
const maxSocketPath = 100

// writeSettings writes the settings file; Start calls it before every start.
func writeSettings(dir string, port int, fast bool, a account) error {
	var b strings.Builder
	b.WriteString("# Written by salesbot's localpg at every start: edits here are lost.\n")
	// Loopback only: the password keeps out local users, and nothing
	// outside this machine needs the cluster.
	b.WriteString("listen_addresses = '127.0.0.1'\n")
	fmt.Fprintf(&b, "port = %d\n", port)
	// The socket lives in the private data folder rather than a system
	// folder such as /var/run/postgresql, which may not exist or be
	// writable. A path too long for a socket gets no socket: TCP suffices.
	sock := filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(port))
	if len(sock) <= maxSocketPath {
		fmt.Fprintf(&b, "unix_socket_directories = '%s'\n", strings.ReplaceAll(dir, "'", "''"))
	} else {
		b.WriteString("unix_socket_directories = ''\n")
	}
	if fast {
		// A throwaway cluster: losing it in a crash costs nothing, waiting
		// for the disk on every commit costs every test.
		b.WriteString("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
		// Test packages run at once, each with its own pools.
		b.WriteString("max_connections = 300\n")
	}
	path := filepath.Join(dir, settingsName)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("localpg: write %s: %w", path, err)
	}
	return a.own(path)
}

// rememberedPort reads the port from the settings file, or 0.
func rememberedPort(dir string) int {
	f, err := os.Open(filepath.Join(dir, settingsName))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok && strings.TrimSpace(k) == "port" {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// choosePort returns the port to start on: the one asked for, else the one
// remembered, else (or if something else took it meanwhile) a free one.
func choosePort(dir string, asked int) (int, error) {
	if asked != 0 {
		return asked, nil
	}
	if p := rememberedPort(dir); p != 0 && portFree(p) {
		return p, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("localpg: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

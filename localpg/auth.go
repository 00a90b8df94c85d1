package localpg

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lib/pq"
)

// passwordName is the file in the data folder that holds the superuser's
// password, readable by its owner only.
const passwordName = "salesbot.password"

// hbaMarker starts the pg_hba.conf that secure writes; a pg_hba.conf
// without it is initdb's, or an older salesbot's, which trusted every local
// connection.
const hbaMarker = "# Written by salesbot's localpg: a password for every connection."

// hbaConf lets in only connections that prove the password (SCRAM), both
// over 127.0.0.1 and through the socket in the data folder. The socket
// folder is private too, but one rule for both leaves nothing to reason about.
const hbaConf = hbaMarker + `
# Edits below survive restarts.
# TYPE  DATABASE     USER  ADDRESS       METHOD
local   all          all                 scram-sha-256
host    all          all   127.0.0.1/32  scram-sha-256
local   replication  all                 scram-sha-256
host    replication  all   127.0.0.1/32  scram-sha-256
`

// readPassword returns the password from the data folder, or "" if there is
// none yet.
func readPassword(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, passwordName))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("localpg: read the password file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

func hbaIsOurs(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "pg_hba.conf"))
	return err == nil && strings.HasPrefix(string(b), hbaMarker)
}

// secure makes the cluster require the password kept in the data folder.
// A new cluster (initialised to reject everyone) and one an older salesbot
// initialised with trust both come through here; so does a start that an
// interruption cut short, as each step can be repeated: the role's password
// is set before the file is written, and the file before pg_hba.conf.
// running says a server already runs from the folder: it is then reached
// through the trust rules it still has; otherwise single-user mode needs no
// rules at all.
func (s *Server) secure(ctx context.Context, running bool) error {
	pw, err := readPassword(s.dir)
	if err != nil {
		return err
	}
	ours := hbaIsOurs(s.dir)
	if pw != "" && ours {
		s.password = pw
		return nil
	}
	if pw == "" && ours && running {
		return fmt.Errorf("localpg: the password file %s is missing while a server runs from %s: stop that server (as the postgres user: pg_ctl stop -D %s) and start again to set a new password",
			filepath.Join(s.dir, passwordName), s.dir, s.dir)
	}
	if pw == "" {
		b := make([]byte, 24)
		rand.Read(b) // never fails, per crypto/rand
		pw = hex.EncodeToString(b)
	}
	// A verifier, not the password: should Postgres log the statement, the
	// log holds nothing that lets anyone in.
	stmt := fmt.Sprintf("ALTER ROLE %s PASSWORD '%s'", superuser, scramVerifier(pw))
	if running {
		err = s.execTrusted(ctx, stmt)
	} else {
		err = s.execSingleUser(ctx, stmt)
	}
	if err != nil {
		return err
	}
	if err := writePrivate(filepath.Join(s.dir, passwordName), pw+"\n", s.acct); err != nil {
		return err
	}
	s.password = pw
	if err := writePrivate(filepath.Join(s.dir, "pg_hba.conf"), hbaConf, s.acct); err != nil {
		return err
	}
	if running {
		if _, err := s.acct.run(ctx, filepath.Join(s.bin, "pg_ctl"), "reload", "-D", s.dir, "-s"); err != nil {
			return fmt.Errorf("localpg: reload postgres in %s after requiring a password: %w", s.dir, err)
		}
		if err := s.waitPasswordRequired(ctx); err != nil {
			return err
		}
	}
	s.log.Info("postgres now requires a password", "password_file", filepath.Join(s.dir, passwordName))
	return nil
}

// waitPasswordRequired waits until the server, told to reload, turns away
// a connection without the password: reloading only signals the server.
func (s *Server) waitPasswordRequired(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	anon := fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", superuser, s.port)
	for {
		err := ping(ctx, anon)
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "28P01" { // invalid_password
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("localpg: the server in %s still lets in connections without the password after reloading pg_hba.conf (last answer: %v): restart it", s.dir, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func ping(ctx context.Context, dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// execTrusted runs stmt on a running server that still trusts local
// connections (a password in the URL is then ignored).
func (s *Server) execTrusted(ctx context.Context, stmt string) error {
	db, err := sql.Open("postgres", s.AdminURL())
	if err != nil {
		return fmt.Errorf("localpg: open maintenance database: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("localpg: set the superuser's password on the running server in %s: %w", s.dir, err)
	}
	return nil
}

// execSingleUser runs stmt in single-user mode, which needs the server
// stopped and no authentication.
func (s *Server) execSingleUser(ctx context.Context, stmt string) error {
	out, err := s.acct.runInput(ctx, stmt+"\n", filepath.Join(s.bin, "postgres"), "--single", "-D", s.dir, "-c", "exit_on_error=on", "postgres")
	if err != nil {
		return fmt.Errorf("localpg: set the superuser's password in %s (single-user mode): %w: %s", s.dir, err, lastLines(out, 10))
	}
	return nil
}

// writePrivate replaces path with content, readable by its owner only (the
// account, which owns the whole data folder). Writing a temporary file and
// renaming it means a crash leaves either the old file or the new one.
func writePrivate(path, content string, a account) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("localpg: write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.WriteString(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = a.own(tmp) // CreateTemp made it 0600 already
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("localpg: write %s: %w", path, err)
	}
	return nil
}

// scramVerifier is what Postgres stores for a SCRAM-SHA-256 password
// (RFC 5802, RFC 7677): given in ALTER ROLE, it is stored as is. The
// password is plain ASCII, which SASLprep leaves unchanged.
func scramVerifier(password string) string {
	const iterations = 4096 // Postgres's default scram_iterations
	salt := make([]byte, 16)
	rand.Read(salt)
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		panic(err) // only for parameters outside FIPS limits, which these are not
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac(salted, "Client Key"))
	server := mac(salted, "Server Key")
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, enc(salt), enc(stored[:]), enc(server))
}

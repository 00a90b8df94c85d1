package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq" // also registers the "postgres" driver
)

// packageDB is one test package's database, created on first use.
type packageDB struct {
	migrate func(context.Context, *sql.DB, *slog.Logger) error

	mu   sync.Mutex // held while creating, so parallel tests wait for it
	done bool
	err  error
	// Set once created, then only read.
	admin string
	name  string
	url   string
	db    *sqlx.DB
}

// get creates the database on first use, or ends the test when it cannot.
func (p *packageDB) get(t testing.TB) *packageDB {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		const msg = "TEST_DATABASE_URL is not set: run the tests with `make test`, which starts a test database"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		p.err = p.create(t, admin)
		p.done = true
	}
	if p.err != nil {
		t.Fatalf("pgtest: %v", p.err)
	}
	return p
}

// create makes the database, opens the pool and applies the schema.
func (p *packageDB) create(t testing.TB, admin string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := databaseName(packagePath())
	dbURL, err := withDatabase(admin, name)
	if err != nil {
		return err
	}
	if err := execAdmin(ctx, admin, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return fmt.Errorf("create test database %s: %w", name, err)
	}
	p.admin, p.name, p.url = admin, name, dbURL
	db, err := p.openMigrated(ctx, t)
	if err != nil {
		return errors.Join(err, p.drop())
	}
	p.db = db
	return nil
}

func (p *packageDB) openMigrated(ctx context.Context, t testing.TB) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", p.url)
	if err != nil {
		return nil, fmt.Errorf("open test database %s: %w", p.name, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to test database %s: %w", p.name, err)
	}
	// Migration logs go to the test that happened to create the database;
	// that test is still running while they are written.
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	if err := p.migrate(ctx, db.DB, log); err != nil {
		db.Close()
		return nil, fmt.Errorf("apply migrations to test database %s: %w", p.name, err)
	}
	return db, nil
}

// drop closes the pool and drops the database, if one was created.
func (p *packageDB) drop() error {
	if p.name == "" {
		return nil
	}
	if p.db != nil {
		p.db.Close()
		p.db = nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// FORCE ends connections that code under test left open.
	q := "DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(p.name)
	if err := execAdmin(ctx, p.admin, q+" WITH (FORCE)"); err != nil {
		// Servers before Postgres 13 know no FORCE.
		if err := execAdmin(ctx, p.admin, q); err != nil {
			return fmt.Errorf("drop test database %s: %w", p.name, err)
		}
	}
	p.name = ""
	return nil
}

func execAdmin(ctx context.Context, admin, query string) error {
	db, err := sql.Open("postgres", admin)
	if err != nil {
		return fmt.Errorf("open TEST_DATABASE_URL: %w", err)
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, query)
	return err
}

// packagePath is the import path of the package under test: a test binary's
// build info names it, with ".test" appended.
func packagePath() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Path != "" {
		return strings.TrimSuffix(bi.Path, ".test")
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
}

var notNameChars = regexp.MustCompile(`[^a-z0-9]+`)

// databaseName turns "salesbot/store" into "test_store_1a2b3c4d": readable
// in a listing of databases, unique per run, within Postgres's 63 bytes.
func databaseName(pkg string) string {
	pkg = strings.TrimPrefix(pkg, "salesbot/")
	base := strings.Trim(notNameChars.ReplaceAllString(strings.ToLower(pkg), "_"), "_")
	const maxBase = 63 - len("test_") - len("_12345678")
	if len(base) > maxBase {
		base = base[len(base)-maxBase:] // the end of a path says most
	}
	suffix := make([]byte, 4)
	rand.Read(suffix) // never fails, per crypto/rand
	return "test_" + base + "_" + hex.EncodeToString(suffix)
}

// withDatabase returns the admin URL pointing at database name instead.
func withDatabase(admin, name string) (string, error) {
	// Errors leave the URL out: it may hold a password.
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("TEST_DATABASE_URL must be a postgres://user@host:port/database URL")
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// Package pgtest gives each test package its own Postgres database, created
// from TEST_DATABASE_URL with the schema applied, so that packages tested at
// the same time never see each other's rows.
//
// A package's tests share that database; tests that run in parallel keep
// apart by using their own workspace (TeamID) or their own transaction.
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		db := pgtest.New(t)
//		...
//	}
package pgtest

import (
	"crypto/rand"
	"fmt"
	"os"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/migrations"
)

// shared is this test binary's database. Go builds one test binary per
// package, so one value per process is one database per package; it is
// state of the test process only, never of salesbot.
var shared = packageDB{migrate: migrations.Apply}

// New returns a handle on this test package's own database, created (with
// the schema applied by migrations.Apply) on first use. The pool is shared by
// the package's tests: do not close it.
//
// Without TEST_DATABASE_URL the test is skipped, except in CI (CI=true),
// where a test that needs the database fails rather than skips.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	return shared.get(t).db
}

// URL returns the connection URL of the same database, for code under test
// that opens its own pool.
func URL(t testing.TB) string {
	t.Helper()
	return shared.get(t).url
}

// Main is for TestMain: it runs the tests, then drops the package's database
// if one was created, and exits with the tests' status.
func Main(m *testing.M) {
	code := m.Run()
	if err := shared.drop(); err != nil {
		// A leftover database costs nothing in a throwaway cluster and
		// only disk elsewhere: report it without failing the tests.
		fmt.Fprintln(os.Stderr, "pgtest:", err)
	}
	os.Exit(code)
}

// teamIDChars are the characters of Slack IDs.
const teamIDChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// TeamID returns a fresh Slack-like workspace ID ("T" and ten upper-case
// letters or digits), so that tests sharing a database stay isolated.
func TeamID() string {
	b := make([]byte, 11)
	rand.Read(b) // never fails, per crypto/rand
	for i := range b {
		b[i] = teamIDChars[int(b[i])%len(teamIDChars)]
	}
	b[0] = 'T'
	return string(b)
}

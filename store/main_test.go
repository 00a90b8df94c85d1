package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is what a store test needs: the store, its pool and a fresh workspace
// that no other test touches.
type env struct {
	s    *store.Store
	db   *sqlx.DB
	team string
}

func setup(t *testing.T) env {
	t.Helper()
	db := pgtest.New(t)
	e := env{s: store.New(db), db: db, team: pgtest.TeamID()}
	if _, err := e.s.EnsureWorkspace(t.Context(), e.db, e.team, pipeline.Settings{}); err != nil {
		t.Fatalf("ensure workspace: %v", err)
	}
	return e
}

// newLead is a valid lead for team; mods override its fields.
func newLead(team string, mods ...func(*pipeline.NewLead)) pipeline.NewLead {
	l := pipeline.NewLead{
		WorkspaceID:  team,
		Company:      "Acme Corp",
		Title:        "Acme platform licence",
		ContactName:  "Jane Doe",
		ContactEmail: "jane@acme.example",
		Industry:     "Software",
		CompanySize:  "51-200",
		Source:       "referral",
		Value:        pipeline.Money{Minor: 1_250_000, Currency: "USD"},
		CreatedBy:    "U0REP1",
		Notes:        "Met at the trade show; wants a demo.",
	}
	for _, m := range mods {
		m(&l)
	}
	return l
}

// count runs a SELECT count(*) … and returns the count.
func count(t *testing.T, db *sqlx.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.GetContext(context.Background(), &n, query, args...); err != nil {
		t.Fatalf("count %q: %v", query, err)
	}
	return n
}

// dbNow is the database's time. These tests date rows relative to now() in
// their own SQL, so the times they hand the store come from the same clock.
func dbNow(t testing.TB, db *sqlx.DB) time.Time {
	t.Helper()
	var now time.Time
	if err := db.GetContext(context.Background(), &now, `SELECT now()`); err != nil {
		t.Fatalf("database time: %v", err)
	}
	return now
}

func mustCreate(t *testing.T, s *store.Store, lead pipeline.NewLead) pipeline.Deal {
	t.Helper()
	d, created, err := s.CreateLead(t.Context(), s.DB(), lead, dbNow(t, s.DB()))
	if err != nil {
		t.Fatalf("create lead: %v", err)
	}
	if !created {
		t.Fatalf("create lead %q: created = false, want true", lead.Company)
	}
	return d
}

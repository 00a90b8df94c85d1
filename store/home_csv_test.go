package store_test

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

func TestHomeQueries(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	mine := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.OwnerID = "U0REP1" }))
	theirs := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) {
		l.Company, l.OwnerID, l.CreatedBy, l.Value = "Globex", "U0REP2", "U0REP2", pipeline.Money{Minor: 500, Currency: "USD"}
	}))
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	addFollowUp := func(d pipeline.Deal, due time.Time, note string) {
		err := e.s.WithTx(ctx, func(tx *sqlx.Tx) error {
			_, err := e.s.AddFollowUp(ctx, tx, d, pipeline.FollowUp{DueAt: due, Note: note}, d.OwnerID, dbNow(t, e.db))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	addFollowUp(mine, now.Add(-time.Hour), "overdue")
	addFollowUp(mine, now.Add(2*time.Hour), "later today")
	addFollowUp(mine, now.Add(72*time.Hour), "next week")
	addFollowUp(theirs, now.Add(-time.Hour), "not mine")

	due, err := e.s.FollowUpsDue(ctx, e.db, e.team, []string{"U0REP1"}, now.Add(3*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Note != "overdue" || due[1].Note != "later today" || due[0].AccountName != "Acme Corp" {
		t.Fatalf("due = %+v, want the overdue and the later-today follow-up of U0REP1", due)
	}

	// Both deals are idle for longer than the lead stage's 7 days in 8 days.
	stale, err := e.s.StaleDealsOf(ctx, e.db, e.team, []string{"U0REP1"}, now.Add(8*24*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 1 || stale[0].Number != mine.Number {
		t.Fatalf("stale = %+v, want only %s", stale, mine.Ref())
	}
	if stale, _ := e.s.StaleDealsOf(ctx, e.db, e.team, []string{"U0REP1"}, now, 10); len(stale) != 0 {
		t.Fatalf("stale now = %+v, want none", stale)
	}

	totals, err := e.s.OpenByOwner(ctx, e.db, e.team, []string{"U0REP1", "U0REP2", "U0NOBODY"})
	if err != nil {
		t.Fatal(err)
	}
	if totals["U0REP1"].Open != 1 || totals["U0REP1"].Amount != 1_250_000 || totals["U0REP2"].Amount != 500 || len(totals) != 2 {
		t.Fatalf("totals = %+v", totals)
	}
}

func TestDuplicateDealAndExport(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	d := mustCreate(t, e.s, newLead(e.team))
	mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) {
		l.Company, l.ContactName, l.ContactEmail, l.OwnerID, l.CreatedBy = "Initech", "", "", "U0REP2", "U0REP2"
	}))
	for _, tt := range []struct {
		company, email string
		want           int64
	}{
		{"ACME corp", "JANE@acme.example", d.Number},
		{"Acme Corp", "", 0},
		{"Acme Corp", "bob@acme.example", 0},
		{"initech", "", d.Number + 1},
		{"Umbrella", "", 0},
	} {
		var n int64
		var found bool
		err := e.s.WithTx(ctx, func(tx *sqlx.Tx) (err error) {
			n, found, err = e.s.DuplicateDeal(ctx, tx, e.team, tt.company, tt.email)
			return err
		})
		if err != nil || n != tt.want || found != (tt.want != 0) {
			t.Errorf("DuplicateDeal(%q, %q) = %d %v %v, want %d", tt.company, tt.email, n, found, err, tt.want)
		}
	}

	var got []store.ExportDeal
	collect := func(owners []string) {
		got = nil
		if err := e.s.EachDeal(ctx, e.db, e.team, owners, func(x store.ExportDeal) error { got = append(got, x); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	collect(nil)
	if len(got) != 2 || got[0].Number != d.Number || got[0].Industry != "Software" || got[0].CompanySize != "51-200" || got[1].AccountName != "Initech" {
		t.Fatalf("export = %+v", got)
	}
	collect([]string{"U0REP2"})
	if len(got) != 1 || got[0].AccountName != "Initech" {
		t.Fatalf("export of U0REP2 = %+v", got)
	}
	collect([]string{})
	if len(got) != 0 {
		t.Fatalf("export of nobody = %+v", got)
	}
}

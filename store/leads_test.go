package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/store"
)

func TestCreateLeadStoresEverythingTogether(t *testing.T) {
	t.Parallel()
	e := setup(t)
	closeOn := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.ExpectedClose = &closeOn }))

	if d.Number != 1 || d.Stage != pipeline.StageLead || d.OwnerID != "U0REP1" || d.CreatedBy != "U0REP1" {
		t.Errorf("deal = %s stage %s owner %s by %s, want D-1 lead owned and created by U0REP1", d.Ref(), d.Stage, d.OwnerID, d.CreatedBy)
	}
	if d.AccountName != "Acme Corp" || d.ContactName != "Jane Doe" || d.ContactEmail != "jane@acme.example" {
		t.Errorf("account/contact = %q %q %q", d.AccountName, d.ContactName, d.ContactEmail)
	}
	if d.Value != (pipeline.Money{Minor: 1_250_000, Currency: "USD"}) {
		t.Errorf("value = %v", d.Value)
	}
	if d.LastActivityAt.IsZero() || !d.LastActivityAt.Equal(d.CreatedAt) {
		t.Errorf("last activity %v, created %v: want both set and equal", d.LastActivityAt, d.CreatedAt)
	}

	got, err := e.s.DealByNumber(t.Context(), e.db, e.team, 1)
	if err != nil {
		t.Fatalf("deal by number: %v", err)
	}
	if got.ID != d.ID || got.AccountID != d.AccountID || got.ContactID != d.ContactID || got.Title != "Acme platform licence" ||
		got.ExpectedClose == nil || !got.ExpectedClose.Equal(closeOn) || got.Source != "referral" || got.Value != d.Value {
		t.Errorf("read back %+v\nwant like %+v", got, d)
	}

	hist, err := e.s.History(t.Context(), e.db, e.team, d.ID)
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	if len(hist) != 1 || hist[0].Action != pipeline.ActionCreated || hist[0].ActorID != "U0REP1" || hist[0].DealID != d.ID {
		t.Errorf("history = %+v, want one 'created' entry by U0REP1", hist)
	}
	if n := count(t, e.db, `SELECT count(*) FROM activities WHERE workspace_id = $1 AND deal_id = $2 AND body = $3`,
		e.team, d.ID, "Met at the trade show; wants a demo."); n != 1 {
		t.Errorf("first note activities = %d, want 1", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM accounts WHERE workspace_id = $1 AND industry = 'Software' AND company_size = '51-200'`, e.team); n != 1 {
		t.Errorf("accounts with industry and size = %d, want 1", n)
	}
}

func TestCreateLeadWithoutContactOrNotes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) {
		l.ContactName, l.ContactEmail, l.Notes, l.Title = "", "", "", ""
		l.OwnerID = "U0REP2"
	}))
	if d.ContactID != 0 || d.Title != "Acme Corp" || d.OwnerID != "U0REP2" {
		t.Errorf("deal = contact %d title %q owner %s; want no contact, the company as title, owner U0REP2", d.ContactID, d.Title, d.OwnerID)
	}
	if n := count(t, e.db, `SELECT count(*) FROM contacts WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("contacts = %d, want 0", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM activities WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("activities = %d, want 0", n)
	}
	// Someone else's new lead waits for them to accept it.
	if n := count(t, e.db, `SELECT count(*) FROM deals WHERE id = $1 AND handoff_state = 'pending' AND handoff_offered_at IS NOT NULL`, d.ID); n != 1 {
		t.Error("lead owned by another rep is not pending handoff")
	}
}

func TestCreateLeadReusesAccountWhateverTheCase(t *testing.T) {
	t.Parallel()
	e := setup(t)
	first := mustCreate(t, e.s, newLead(e.team))
	second := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) {
		l.Company, l.ContactName, l.ContactEmail = "ACME corp", "Bob Roe", "bob@acme.example"
	}))
	third := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) {
		l.Company, l.ContactName, l.ContactEmail = "acme CORP", "Janet Doe", "JANE@acme.example"
	}))
	if second.AccountID != first.AccountID || third.AccountID != first.AccountID {
		t.Errorf("accounts %d, %d, %d: want one account", first.AccountID, second.AccountID, third.AccountID)
	}
	if second.AccountName != "Acme Corp" {
		t.Errorf("account name %q, want the stored %q", second.AccountName, "Acme Corp")
	}
	if third.ContactID != first.ContactID || second.ContactID == first.ContactID {
		t.Errorf("contacts %d, %d, %d: want the first reused by email only", first.ContactID, second.ContactID, third.ContactID)
	}
	if n := count(t, e.db, `SELECT count(*) FROM accounts WHERE workspace_id = $1`, e.team); n != 1 {
		t.Errorf("accounts = %d, want 1", n)
	}
	other := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.Company = "Globex" }))
	if other.AccountID == first.AccountID {
		t.Error("another company reused Acme's account")
	}
}

func TestDealNumbersArePerWorkspace(t *testing.T) {
	t.Parallel()
	a, b := setup(t), setup(t)
	for i := 1; i <= 3; i++ {
		if d := mustCreate(t, a.s, newLead(a.team)); d.Number != int64(i) {
			t.Fatalf("workspace A lead %d numbered %d", i, d.Number)
		}
	}
	if d := mustCreate(t, b.s, newLead(b.team)); d.Number != 1 {
		t.Errorf("workspace B's first lead numbered %d, want 1", d.Number)
	}
	if d := mustCreate(t, a.s, newLead(a.team)); d.Number != 4 {
		t.Errorf("workspace A's fourth lead numbered %d, want 4", d.Number)
	}
}

func TestConcurrentLeadsGetDistinctGaplessNumbers(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const n = 20
	numbers := make(chan int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			d, _, err := e.s.CreateLead(t.Context(), e.db, newLead(e.team, func(l *pipeline.NewLead) {
				l.Company = fmt.Sprintf("Company %d", i%4) // shared accounts too
				l.IdempotencyKey = fmt.Sprintf("key-%d", i)
			}), dbNow(t, e.db))
			if err != nil {
				t.Errorf("create lead %d: %v", i, err)
				return
			}
			numbers <- d.Number
		})
	}
	wg.Wait()
	close(numbers)
	seen := map[int64]bool{}
	for num := range numbers {
		if seen[num] || num < 1 || num > n {
			t.Errorf("number %d repeated or outside 1..%d", num, n)
		}
		seen[num] = true
	}
	if len(seen) != n {
		t.Errorf("got %d distinct numbers, want %d", len(seen), n)
	}
}

func TestIdempotencyKeyCreatesOneDeal(t *testing.T) {
	t.Parallel()
	e := setup(t)
	lead := newLead(e.team, func(l *pipeline.NewLead) { l.IdempotencyKey = "view-123" })
	first := mustCreate(t, e.s, lead)
	again, created, err := e.s.CreateLead(t.Context(), e.db, lead, dbNow(t, e.db))
	if err != nil || created || again.ID != first.ID || again.AccountName != "Acme Corp" || again.ContactName != "Jane Doe" {
		t.Fatalf("redelivery = %s created %v err %v, want %s again, not created", again.Ref(), created, err, first.Ref())
	}
	// The same key in another workspace is another submission.
	other := setup(t)
	if _, created, err := other.s.CreateLead(t.Context(), other.s.DB(), newLead(other.team, func(l *pipeline.NewLead) { l.IdempotencyKey = "view-123" }), dbNow(t, e.db)); err != nil || !created {
		t.Errorf("same key in another workspace: created %v err %v", created, err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deals WHERE workspace_id = $1`, e.team); n != 1 {
		t.Errorf("deals = %d, want 1", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deal_history WHERE workspace_id = $1`, e.team); n != 1 {
		t.Errorf("history entries = %d, want 1", n)
	}
	if d := mustCreate(t, e.s, newLead(e.team)); d.Number != 2 {
		t.Errorf("next lead numbered %d, want 2: the redelivery must not use a number", d.Number)
	}
}

func TestConcurrentDuplicatesCreateOneDeal(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[int64]int{}
	createdCount := 0
	for range n {
		wg.Go(func() {
			d, created, err := e.s.CreateLead(t.Context(), e.db, newLead(e.team, func(l *pipeline.NewLead) {
				l.IdempotencyKey = "double-click"
				l.Company = "Initech " + pgtest.TeamID() // a new account each, so a leak would show
			}), dbNow(t, e.db))
			if err != nil {
				t.Errorf("create lead: %v", err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[d.ID]++
			if created {
				createdCount++
			}
		})
	}
	wg.Wait()
	if len(ids) != 1 || createdCount != 1 {
		t.Errorf("deal IDs %v, created %d times: want one deal, created once", ids, createdCount)
	}
	for table, want := range map[string]int{"deals": 1, "accounts": 1, "contacts": 1, "deal_history": 1, "activities": 1} {
		if got := count(t, e.db, `SELECT count(*) FROM `+table+` WHERE workspace_id = $1`, e.team); got != want {
			t.Errorf("%s rows = %d, want %d", table, got, want)
		}
	}
}

func TestFailedCreateLeavesNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// A negative amount passes nothing before the deal insert, which its
	// CHECK then refuses, after the account, contact and users were written.
	_, _, err := e.s.CreateLead(t.Context(), e.db, newLead(e.team, func(l *pipeline.NewLead) {
		l.Value.Minor = -1
		l.OwnerID = "U0NEWOWNER"
		l.CreatedBy = "U0NEWREP"
	}), dbNow(t, e.db))
	if err == nil {
		t.Fatal("negative amount stored without error")
	}
	for _, table := range []string{"deals", "accounts", "contacts", "users", "deal_history", "activities"} {
		if n := count(t, e.db, `SELECT count(*) FROM `+table+` WHERE workspace_id = $1`, e.team); n != 0 {
			t.Errorf("%s has %d rows after a failed create, want 0", table, n)
		}
	}
	if d := mustCreate(t, e.s, newLead(e.team)); d.Number != 1 {
		t.Errorf("first stored lead numbered %d, want 1", d.Number)
	}
}

func TestCreateLeadInUnknownWorkspace(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, _, err := e.s.CreateLead(t.Context(), e.db, newLead(pgtest.TeamID()), dbNow(t, e.db))
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func TestWorkspacesAreIsolated(t *testing.T) {
	t.Parallel()
	a, b := setup(t), setup(t)
	d := mustCreate(t, a.s, newLead(a.team))
	if _, err := b.s.DealByNumber(t.Context(), b.s.DB(), b.team, d.Number); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other workspace's D-%d: err = %v, want ErrNotFound", d.Number, err)
	}
	if _, err := a.s.DealByNumber(t.Context(), a.s.DB(), a.team, 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing D-99: err = %v, want ErrNotFound", err)
	}
	if h, err := b.s.History(t.Context(), b.s.DB(), b.team, d.ID); err != nil || len(h) != 0 {
		t.Errorf("other workspace's history = %v, %v; want none", h, err)
	}
	// Same company name in B is B's own account.
	bd := mustCreate(t, b.s, newLead(b.team))
	if bd.AccountID == d.AccountID || bd.ContactID == d.ContactID {
		t.Error("workspace B reused workspace A's account or contact")
	}
}

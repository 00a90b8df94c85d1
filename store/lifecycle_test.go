package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
	"salesbot/store"
)

func TestDealForUpdateLocksTheWorkspacesDeal(t *testing.T) {
	t.Parallel()
	e, other := setup(t), setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	e.mustTx(t, func(tx *sqlx.Tx) error {
		got := e.lockDeal(t, tx, d)
		if got.ID != d.ID || got.AccountName != "Acme Corp" || got.ContactEmail != "jane@acme.example" {
			t.Errorf("locked deal = %+v", got)
		}
		// Another transaction cannot take the row while this one holds it.
		_, err := e.db.ExecContext(t.Context(), `SELECT 1 FROM deals WHERE id = $1 FOR UPDATE NOWAIT`, d.ID)
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != "55P03" {
			t.Errorf("second lock: err = %v, want lock_not_available", err)
		}
		_, err = other.s.DealForUpdate(t.Context(), tx, other.team, d.Number)
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("other workspace locking D-%d: err = %v, want ErrNotFound", d.Number, err)
		}
		return nil
	})
	if got, err := e.s.DealByID(t.Context(), e.db, e.team, d.ID); err != nil || got.Number != d.Number {
		t.Errorf("deal by ID = %s, %v", got.Ref(), err)
	}
	if _, err := other.s.DealByID(t.Context(), other.s.DB(), other.team, d.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other workspace's deal by ID: err = %v, want ErrNotFound", err)
	}
}

func TestApplyStageChange(t *testing.T) {
	t.Parallel()
	e := setup(t)
	won := pipeline.Money{Minor: 2_000_000, Currency: "USD"}
	tests := []struct {
		name    string
		before  []pipeline.Move // moves that set the deal up
		move    pipeline.Move
		stage   pipeline.Stage
		closed  bool
		reason  string
		value   int64
		history []string // after the setup moves' entries
	}{
		{name: "open to open", move: pipeline.Move{To: pipeline.StageQualified},
			stage: pipeline.StageQualified, value: 1_250_000,
			history: []string{"U0MGR stage stage: lead -> qualified"}},
		{name: "won with amount", before: []pipeline.Move{{To: pipeline.StageNegotiation}},
			move:  pipeline.Move{To: pipeline.StageWon, Amount: &won},
			stage: pipeline.StageWon, closed: true, value: 2_000_000,
			history: []string{"U0MGR stage stage: negotiation -> won", "U0MGR stage amount: $12,500 -> $20,000"}},
		{name: "won at the deal's value", move: pipeline.Move{To: pipeline.StageWon},
			stage: pipeline.StageWon, closed: true, value: 1_250_000,
			history: []string{"U0MGR stage stage: lead -> won"}},
		{name: "lost with reason", move: pipeline.Move{To: pipeline.StageLost, Reason: "went with a competitor"},
			stage: pipeline.StageLost, closed: true, reason: "went with a competitor", value: 1_250_000,
			history: []string{"U0MGR stage stage: lead -> lost", "U0MGR stage lost_reason:  -> went with a competitor"}},
		{name: "reopen", before: []pipeline.Move{{To: pipeline.StageLost, Reason: "no budget"}},
			move: pipeline.Move{To: pipeline.StageProposal}, stage: pipeline.StageProposal, value: 1_250_000,
			history: []string{"U0MGR stage stage: lost -> proposal", "U0MGR reopened stage: lost -> proposal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.Company = "Co " + tt.name }))
			for _, m := range tt.before {
				d = e.mustMove(t, d, m, "U0MGR")
			}
			skip := len(e.newHistory(t, d.ID))
			idle := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
			e.exec(t, `UPDATE deals SET last_activity_at = $2 WHERE id = $1`, d.ID, idle)
			got := e.mustMove(t, d, tt.move, "U0MGR")
			if got.Stage != tt.stage || (got.ClosedAt != nil) != tt.closed || got.LostReason != tt.reason || got.Value.Minor != tt.value {
				t.Errorf("deal = stage %s closed %v reason %q value %d; want %s closed %v reason %q value %d",
					got.Stage, got.ClosedAt, got.LostReason, got.Value.Minor, tt.stage, tt.closed, tt.reason, tt.value)
			}
			if !got.LastActivityAt.After(idle) {
				t.Errorf("last activity %v: a move is activity", got.LastActivityAt)
			}
			read, err := e.s.DealByID(t.Context(), e.db, e.team, d.ID)
			if err != nil || read.Stage != got.Stage || read.Value != got.Value || read.LostReason != got.LostReason {
				t.Errorf("read back %+v, %v; want %+v", read, err, got)
			}
			var wonAmount *int64
			if err := e.db.GetContext(t.Context(), &wonAmount, `SELECT won_amount_minor FROM deals WHERE id = $1`, d.ID); err != nil {
				t.Fatal(err)
			}
			if (tt.stage == pipeline.StageWon) != (wonAmount != nil) || (wonAmount != nil && *wonAmount != tt.value) {
				t.Errorf("won_amount_minor = %v, want %d only when won", wonAmount, tt.value)
			}
			var h []string
			for _, x := range e.newHistory(t, d.ID)[skip:] {
				if !strings.HasPrefix(x, " followup checkin") { // check-ins: TestWinMakesCustomerAndSchedulesCheckins
					h = append(h, x)
				}
			}
			checkHistory(t, h, tt.history)
		})
	}
}

func TestWinMakesCustomerAndSchedulesCheckins(t *testing.T) {
	t.Parallel()
	e := setup(t)
	st, err := e.s.Settings(t.Context(), e.db, e.team)
	if err != nil {
		t.Fatal(err)
	}
	st.Timezone = "America/New_York"
	if err := e.s.SaveSettings(t.Context(), e.db, st); err != nil {
		t.Fatal(err)
	}
	d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.OwnerID = "U0OWNER" }))
	d = e.mustMove(t, d, pipeline.Move{To: pipeline.StageWon}, "U0MGR")

	var acct struct {
		IsCustomer    bool       `db:"is_customer"`
		CustomerSince *time.Time `db:"customer_since"`
	}
	if err := e.db.GetContext(t.Context(), &acct, `SELECT is_customer, customer_since FROM accounts WHERE id = $1`, d.AccountID); err != nil {
		t.Fatal(err)
	}
	if !acct.IsCustomer || acct.CustomerSince == nil || !acct.CustomerSince.Equal(*d.ClosedAt) {
		t.Errorf("account = %+v, want a customer since the win at %v", acct, d.ClosedAt)
	}

	ny, _ := time.LoadLocation("America/New_York")
	closed := d.ClosedAt.In(ny)
	var checkins []pipeline.FollowUp
	for range 3 {
		f, err := e.s.NextFollowUp(t.Context(), e.db, e.team, d.ID)
		if err != nil || f == nil {
			t.Fatalf("next follow-up = %v, %v", f, err)
		}
		checkins = append(checkins, *f)
		if _, err := e.s.CompleteFollowUp(t.Context(), e.db, e.team, f.ID, "U0OWNER", dbNow(t, e.db)); err != nil {
			t.Fatal(err)
		}
	}
	for i, days := range []int{7, 30, 90} {
		f := checkins[i]
		want := time.Date(closed.Year(), closed.Month(), closed.Day()+days, 9, 0, 0, 0, ny)
		if f.Kind != "checkin" || f.OwnerID != "U0OWNER" || !f.DueAt.Equal(want) || f.DealNumber != d.Number {
			t.Errorf("check-in %d = %+v, want kind checkin for U0OWNER due %v", i, f, want)
		}
	}
	if f, err := e.s.NextFollowUp(t.Context(), e.db, e.team, d.ID); f != nil || err != nil {
		t.Errorf("after three check-ins, next = %+v, %v; want none", f, err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'followup' AND field = 'checkin' AND actor_id IS NULL`, d.ID); n != 3 {
		t.Errorf("check-in history entries = %d, want 3 by the bot", n)
	}

	// Reopened and won again: the account stays a customer since the first
	// win, and the deal gets one new set of check-ins (the first was done).
	d = e.mustMove(t, d, pipeline.Move{To: pipeline.StageQualified}, "U0MGR")
	if d.ClosedAt != nil {
		t.Errorf("reopened deal closed at %v, want nil", d.ClosedAt)
	}
	e.mustMove(t, d, pipeline.Move{To: pipeline.StageWon}, "U0MGR")
	e.mustMove(t, d, pipeline.Move{To: pipeline.StageNegotiation}, "U0MGR")
	e.mustMove(t, d, pipeline.Move{To: pipeline.StageWon}, "U0MGR")
	if n := count(t, e.db, `SELECT count(*) FROM follow_ups WHERE deal_id = $1 AND kind = 'checkin' AND done_at IS NULL`, d.ID); n != 3 {
		t.Errorf("open check-ins after winning twice more = %d, want 3", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM accounts WHERE id = $1 AND customer_since = $2`, d.AccountID, acct.CustomerSince); n != 1 {
		t.Error("customer_since moved on a later win")
	}
}

func TestStageChangeRefusesStaleOrForeignDeals(t *testing.T) {
	t.Parallel()
	e, other := setup(t), setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	stale := d
	e.mustMove(t, d, pipeline.Move{To: pipeline.StageQualified}, "U0REP1")
	err := e.inTx(t, func(tx *sqlx.Tx) error {
		_, err := e.s.ApplyStageChange(t.Context(), tx, stale,
			pipeline.StageChange{From: pipeline.StageLead, To: pipeline.StageProposal}, "U0REP1", dbNow(t, e.db))
		return err
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("change planned from lead after a move: err = %v, want ErrConflict", err)
	}
	// Another workspace naming this deal's ID changes nothing.
	forged := d
	forged.WorkspaceID = other.team
	err = other.inTx(t, func(tx *sqlx.Tx) error {
		_, err := other.s.ApplyStageChange(t.Context(), tx, forged,
			pipeline.StageChange{From: pipeline.StageQualified, To: pipeline.StageWon}, "U0EVIL", dbNow(t, e.db))
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other workspace: err = %v, want ErrNotFound", err)
	}
	if got, _ := e.s.DealByID(t.Context(), e.db, e.team, d.ID); got.Stage != pipeline.StageQualified {
		t.Errorf("stage = %s, want qualified", got.Stage)
	}
	checkHistory(t, e.newHistory(t, d.ID), []string{"U0REP1 stage stage: lead -> qualified"})
}

// A win whose check-ins cannot be scheduled (here: a timezone Postgres does
// not know) leaves no trace: not the stage, not the history, not the customer.
func TestFailedWinRollsBackEverything(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	e.exec(t, `UPDATE workspace_settings SET timezone = 'Mars/Olympus_Mons' WHERE workspace_id = $1`, e.team)
	if _, err := e.move(t, d, pipeline.Move{To: pipeline.StageWon}, "U0REP1"); err == nil {
		t.Fatal("win with an unknown timezone succeeded")
	}
	got, err := e.s.DealByID(t.Context(), e.db, e.team, d.ID)
	if err != nil || got.Stage != pipeline.StageLead || got.ClosedAt != nil {
		t.Errorf("deal after failed win = %s closed %v (%v), want lead", got.Stage, got.ClosedAt, err)
	}
	checkHistory(t, e.newHistory(t, d.ID), nil)
	if n := count(t, e.db, `SELECT count(*) FROM accounts WHERE workspace_id = $1 AND is_customer`, e.team); n != 0 {
		t.Errorf("customers = %d, want 0", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM follow_ups WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("follow-ups = %d, want 0", n)
	}
}

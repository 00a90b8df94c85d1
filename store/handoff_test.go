package store_test

import (
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// handoffState is the deal's handoff columns as "state from declined".
func (e env) handoffState(t *testing.T, dealID int64) string {
	t.Helper()
	var s string
	if err := e.db.GetContext(t.Context(), &s, `
		SELECT handoff_state || ' ' || COALESCE(handoff_from, '-') || ' ' || array_to_string(handoff_declined, ',')
		       || CASE WHEN handoff_offered_at IS NULL THEN '' ELSE ' offered' END
		       || CASE WHEN accepted_at IS NULL THEN '' ELSE ' accepted' END
		FROM deals WHERE id = $1`, dealID); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e env) offer(t *testing.T, d pipeline.Deal, to, actor string) (pipeline.Deal, error) {
	t.Helper()
	var out pipeline.Deal
	err := e.inTx(t, func(tx *sqlx.Tx) error {
		var err error
		out, err = e.s.OfferDeal(t.Context(), tx, e.lockDeal(t, tx, d), to, actor, dbNow(t, e.db))
		return err
	})
	return out, err
}

func (e env) answer(t *testing.T, d pipeline.Deal, user string, accept bool) (pipeline.Deal, string, error) {
	t.Helper()
	var out pipeline.Deal
	var prev string
	err := e.inTx(t, func(tx *sqlx.Tx) error {
		var err error
		out, prev, err = e.s.AnswerHandoff(t.Context(), tx, e.lockDeal(t, tx, d), user, accept, dbNow(t, e.db))
		return err
	})
	return out, prev, err
}

func TestHandoffAccept(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team)) // owned by its creator, U0REP1
	got, err := e.offer(t, d, "U0REP2", "U0MGR")
	if err != nil || got.OwnerID != "U0REP2" {
		t.Fatalf("offer = owner %s, %v", got.OwnerID, err)
	}
	if s := e.handoffState(t, d.ID); s != "pending U0REP1  offered" {
		t.Errorf("after offer: %q", s)
	}
	if _, _, err := e.answer(t, d, "U0REP3", true); !errors.Is(err, store.ErrNotPending) {
		t.Errorf("answer by someone else: err = %v, want ErrNotPending", err)
	}
	got, prev, err := e.answer(t, d, "U0REP2", true)
	if err != nil || got.OwnerID != "U0REP2" || prev != "U0REP1" {
		t.Fatalf("accept = owner %s prev %s, %v", got.OwnerID, prev, err)
	}
	if s := e.handoffState(t, d.ID); s != "accepted U0REP1  offered accepted" {
		t.Errorf("after accept: %q", s)
	}
	// The second click on Accept, or a late Reject, finds nothing pending.
	for _, accept := range []bool{true, false} {
		if _, _, err := e.answer(t, d, "U0REP2", accept); !errors.Is(err, store.ErrNotPending) {
			t.Errorf("second answer (accept %v): err = %v, want ErrNotPending", accept, err)
		}
	}
	checkHistory(t, e.newHistory(t, d.ID), []string{
		"U0MGR owner owner: U0REP1 -> U0REP2",
		"U0REP2 handoff handoff: pending -> accepted",
	})
}

func TestHandoffReject(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	if _, err := e.offer(t, d, "U0REP2", "U0REP1"); err != nil {
		t.Fatal(err)
	}
	// Re-offered while pending: a rejection still goes back to the first giver.
	if _, err := e.offer(t, d, "U0REP3", "U0MGR"); err != nil {
		t.Fatal(err)
	}
	got, prev, err := e.answer(t, d, "U0REP3", false)
	if err != nil || got.OwnerID != "U0REP1" || prev != "U0REP1" {
		t.Fatalf("reject = owner %s prev %s, %v; want back to U0REP1", got.OwnerID, prev, err)
	}
	if s := e.handoffState(t, d.ID); s != "none - U0REP3" {
		t.Errorf("after reject: %q, want none with U0REP3 declined", s)
	}
	if _, _, err := e.answer(t, d, "U0REP3", false); !errors.Is(err, store.ErrNotPending) {
		t.Errorf("second reject: err = %v, want ErrNotPending", err)
	}
	checkHistory(t, e.newHistory(t, d.ID), []string{
		"U0REP1 owner owner: U0REP1 -> U0REP2",
		"U0MGR owner owner: U0REP2 -> U0REP3",
		"U0REP3 handoff handoff: pending -> rejected",
		"U0REP3 owner owner: U0REP3 -> U0REP1",
	})
}

// A lead created straight into someone else's hands goes back to its
// creator when they reject it.
func TestRejectCreatedLeadGoesBackToCreator(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.OwnerID = "U0REP2" }))
	got, prev, err := e.answer(t, d, "U0REP2", false)
	if err != nil || got.OwnerID != "U0REP1" || prev != "U0REP1" {
		t.Errorf("reject = owner %s prev %s, %v; want back to the creator", got.OwnerID, prev, err)
	}
}

func TestOfferEdgeCases(t *testing.T) {
	t.Parallel()
	e, other := setup(t), setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	if _, err := e.offer(t, d, "U0REP1", "U0MGR"); !errors.Is(err, store.ErrAlreadyOwner) {
		t.Errorf("offer to the owner: err = %v, want ErrAlreadyOwner", err)
	}
	// A manager taking the deal has nothing to accept.
	if _, err := e.offer(t, d, "U0MGR", "U0MGR"); err != nil {
		t.Fatal(err)
	}
	if s := e.handoffState(t, d.ID); s != "none U0REP1 " {
		t.Errorf("taken by the actor: %q, want no pending offer", s)
	}
	forged := d
	forged.WorkspaceID = other.team
	for name, op := range map[string]func(tx *sqlx.Tx) error{
		"offer": func(tx *sqlx.Tx) error {
			_, err := other.s.OfferDeal(t.Context(), tx, forged, "U0EVIL", "U0EVIL", dbNow(t, e.db))
			return err
		},
		"answer": func(tx *sqlx.Tx) error {
			_, _, err := other.s.AnswerHandoff(t.Context(), tx, forged, "U0MGR", true, dbNow(t, e.db))
			return err
		},
	} {
		if err := other.inTx(t, op); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s from another workspace: err = %v, want ErrNotFound", name, err)
		}
	}
	if got, _ := e.s.DealByID(t.Context(), e.db, e.team, d.ID); got.OwnerID != "U0MGR" {
		t.Errorf("owner = %s, want U0MGR", got.OwnerID)
	}
}

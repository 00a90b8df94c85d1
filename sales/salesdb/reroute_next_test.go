package salesdb_test

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

// routedLead creates a Software lead as the admin; the rule routes it to
// U0REP2, who has not answered.
func (e env) routedLead(t *testing.T) pipeline.Deal {
	t.Helper()
	res, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:routed"))
	if err != nil {
		t.Fatal(err)
	}
	if res.RoutedTo != "U0REP2" {
		t.Fatalf("lead routed to %q, want U0REP2", res.RoutedTo)
	}
	return res.Deal
}

// A lead whose offer lapsed goes on to the next rep, who is offered it;
// the rep who let it lapse hears it is no longer theirs, and the rep's manager (here, with none, the lead's creator) hears where it
// went and why.
func TestRerouteOffersTheNextRepAndTellsTheManager(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.routedLead(t)
	svc, r := e.recording(directory{})

	var next string
	e.inTx(t, func(tx *sqlx.Tx) error {
		var err error
		next, err = svc.Reroute(t.Context(), tx, d, "U0REP2", true)
		return err
	})
	if next != "U0REP1" {
		t.Fatalf("rerouted to %q, want U0REP1", next)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP1' AND handoff_state = 'pending' AND routed`, d.ID); n != 1 {
		t.Errorf("deal not pending with U0REP1 as a routed lead")
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'routed'`, d.ID); n != 2 {
		t.Errorf("routed history entries = %d, want 2 (the first routing and this one)", n)
	}
	got := r.all()
	if len(got) != 3 {
		t.Fatalf("notices = %#v, want the offer, the lapsed rep's note and the manager's note", got)
	}
	if gone, ok := got[1].(sales.OfferLapsed); !ok || gone.Rep != "U0REP2" || gone.To != "U0REP1" || gone.Deal.Number != d.Number {
		t.Errorf("second notice = %#v, want U0REP2 told %s went to U0REP1", got[1], d.Ref())
	}
	got = append(got[:1], got[2:]...)
	if offer, ok := got[0].(sales.LeadRouted); !ok || offer.Deal.OwnerID != "U0REP1" || offer.Deal.Number != d.Number || offer.Reason != "round-robin" {
		t.Errorf("first notice = %#v, want %s offered to U0REP1 round-robin", got[0], d.Ref())
	}
	want := sales.LeadRerouted{Manager: "U0ADMIN", From: "U0REP2", Lapsed: true, To: "U0REP1", Reason: "round-robin"}
	if note, ok := got[1].(sales.LeadRerouted); !ok || note.Deal.Number != d.Number ||
		note.Manager != want.Manager || note.From != want.From || note.Lapsed != want.Lapsed || note.To != want.To || note.Reason != want.Reason {
		t.Errorf("third notice = %#v, want %+v about %s", got[1], want, d.Ref())
	}
}

// With no other rep able to take it the lead stays where it is, nobody is
// offered it, and the rep's manager is told that no one could.
func TestRerouteWithNoOneLeftKeepsTheLeadAndSaysSo(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	if _, err := e.st.EnsureUser(t.Context(), e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: "U0MGR", Role: pipeline.RoleManager}); err != nil {
		t.Fatal(err)
	}
	admin := e.user(t, "U0ADMIN")
	if err := e.svc.SetTeam(t.Context(), sales.SetTeam{Team: e.team, Actor: admin, Manager: "U0MGR", Reps: []string{"U0REP2"},
		IdempotencyKey: "slash:team"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetAway(t.Context(), sales.SetAway{Team: e.team, Actor: admin, User: "U0REP1", Away: true,
		IdempotencyKey: "slash:away"}); err != nil {
		t.Fatal(err)
	}
	d := e.routedLead(t)
	svc, r := e.recording(directory{})

	var next string
	e.inTx(t, func(tx *sqlx.Tx) error {
		var err error
		next, err = svc.Reroute(t.Context(), tx, d, "U0REP2", false)
		return err
	})
	if next != "" {
		t.Errorf("rerouted to %q, want no one", next)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP2'`, d.ID); n != 1 {
		t.Errorf("deal moved from U0REP2; want it kept")
	}
	got := r.all()
	if len(got) != 1 {
		t.Fatalf("notices = %#v, want only the manager's note", got)
	}
	if note, ok := got[0].(sales.LeadRerouted); !ok || note.Manager != "U0MGR" || note.From != "U0REP2" || note.Lapsed || note.To != "" {
		t.Errorf("notice = %#v, want U0MGR told that no one could take %s from U0REP2", got[0], d.Ref())
	}
}

package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

func (e env) update(t *testing.T, d pipeline.Deal, changes []pipeline.FieldChange, mod func(*pipeline.Deal), actor string) (pipeline.Deal, error) {
	t.Helper()
	var out pipeline.Deal
	err := e.inTx(t, func(tx *sqlx.Tx) error {
		cur := e.lockDeal(t, tx, d)
		updated := cur
		mod(&updated)
		var err error
		out, err = e.s.UpdateDeal(t.Context(), tx, cur, changes, updated, actor, dbNow(t, e.db))
		return err
	})
	return out, err
}

func TestUpdateDealFields(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	closeOn := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	changes := []pipeline.FieldChange{
		{Field: "title", Old: "Acme platform licence", New: "Acme enterprise licence"},
		{Field: "amount", Old: "$12,500", New: "€30,000"},
		{Field: "recurring", Old: "no", New: "yes"},
		{Field: "expected_close", Old: "", New: "2027-03-31"},
		{Field: "source", Old: "referral", New: "inbound"},
	}
	got, err := e.update(t, d, changes, func(u *pipeline.Deal) {
		u.Title, u.Value, u.Recurring = "Acme enterprise licence", pipeline.Money{Minor: 3_000_000, Currency: "EUR"}, true
		u.ExpectedClose, u.Source = &closeOn, "inbound"
		u.ContactName = "ignored: not among the changes"
	}, "U0REP1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Acme enterprise licence" || got.Value != (pipeline.Money{Minor: 3_000_000, Currency: "EUR"}) || !got.Recurring ||
		got.ExpectedClose == nil || !got.ExpectedClose.Equal(closeOn) || got.Source != "inbound" || got.ContactName != "Jane Doe" {
		t.Errorf("updated deal = %+v", got)
	}
	checkHistory(t, e.newHistory(t, d.ID), []string{
		"U0REP1 field title: Acme platform licence -> Acme enterprise licence",
		"U0REP1 field amount: $12,500 -> €30,000",
		"U0REP1 field recurring: no -> yes",
		"U0REP1 field expected_close:  -> 2027-03-31",
		"U0REP1 field source: referral -> inbound",
	})
	// Clearing the close date.
	got, err = e.update(t, d, []pipeline.FieldChange{{Field: "expected_close", Old: "2027-03-31"}},
		func(u *pipeline.Deal) { u.ExpectedClose = nil }, "U0REP1")
	if err != nil || got.ExpectedClose != nil {
		t.Errorf("cleared close date = %v, %v", got.ExpectedClose, err)
	}
}

func TestUpdateDealContact(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	bob := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.ContactName, l.ContactEmail = "Bob Roe", "bob@acme.example" }))
	bare := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.ContactName, l.ContactEmail = "", "" }))
	name := func(v string) func(*pipeline.Deal) { return func(u *pipeline.Deal) { u.ContactName = v } }
	email := func(v string) func(*pipeline.Deal) { return func(u *pipeline.Deal) { u.ContactEmail = v } }

	// Renaming fixes the contact in place.
	got, err := e.update(t, d, []pipeline.FieldChange{{Field: "contact_name", Old: "Jane Doe", New: "Janet Doe"}}, name("Janet Doe"), "U0REP1")
	if err != nil || got.ContactID != d.ContactID || got.ContactName != "Janet Doe" || got.ContactEmail != "jane@acme.example" {
		t.Errorf("renamed = %d %q %q, %v; want contact %d renamed", got.ContactID, got.ContactName, got.ContactEmail, err, d.ContactID)
	}
	// An email the account already knows moves the deal to that contact,
	// whose name stays.
	got, err = e.update(t, d, []pipeline.FieldChange{{Field: "contact_email", Old: "jane@acme.example", New: "BOB@acme.example"}}, email("BOB@acme.example"), "U0REP1")
	if err != nil || got.ContactID != bob.ContactID || got.ContactName != "Bob Roe" {
		t.Errorf("email of another contact = %d %q, %v; want Bob's contact %d", got.ContactID, got.ContactName, err, bob.ContactID)
	}
	// A deal without a contact gets one.
	got, err = e.update(t, bare, []pipeline.FieldChange{{Field: "contact_email", New: "new@acme.example"}}, email("new@acme.example"), "U0REP1")
	if err != nil || got.ContactID == 0 || got.ContactEmail != "new@acme.example" {
		t.Errorf("new contact = %d %q, %v", got.ContactID, got.ContactEmail, err)
	}
	// Clearing name and email detaches the contact (it stays on the account).
	got, err = e.update(t, got, []pipeline.FieldChange{{Field: "contact_email", Old: "new@acme.example"}}, email(""), "U0REP1")
	if err != nil || got.ContactID != 0 {
		t.Errorf("cleared contact = %d, %v; want none", got.ContactID, err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM contacts WHERE workspace_id = $1`, e.team); n != 3 {
		t.Errorf("contacts = %d, want Jane, Bob and the new one", n)
	}
}

func TestUpdateDealIsAllOrNothing(t *testing.T) {
	t.Parallel()
	e, other := setup(t), setup(t)
	d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.ContactName, l.ContactEmail = "", "" }))
	// The contact is created first, then the deal's CHECK refuses the amount.
	_, err := e.update(t, d, []pipeline.FieldChange{
		{Field: "contact_email", New: "x@acme.example"}, {Field: "title", New: "New title"}, {Field: "amount", New: "-1"},
	}, func(u *pipeline.Deal) { u.ContactEmail, u.Title, u.Value.Minor = "x@acme.example", "New title", -1 }, "U0REP1")
	if err == nil {
		t.Fatal("negative amount stored")
	}
	if _, err := e.update(t, d, []pipeline.FieldChange{{Field: "owner_id", New: "U0EVIL"}}, func(*pipeline.Deal) {}, "U0REP1"); err == nil {
		t.Error("unknown field accepted")
	}
	got, _ := e.s.DealByID(t.Context(), e.db, e.team, d.ID)
	if got.Title != d.Title || got.ContactID != 0 || got.Value != d.Value {
		t.Errorf("deal after failed edits = %+v", got)
	}
	checkHistory(t, e.newHistory(t, d.ID), nil)
	if n := count(t, e.db, `SELECT count(*) FROM contacts WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("contacts = %d, want 0", n)
	}
	forged := d
	forged.WorkspaceID = other.team
	err = other.inTx(t, func(tx *sqlx.Tx) error {
		_, err := other.s.UpdateDeal(t.Context(), tx, forged, []pipeline.FieldChange{{Field: "title", New: "Mine"}},
			pipeline.Deal{Title: "Mine"}, "U0EVIL", dbNow(t, e.db))
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("edit from another workspace: err = %v, want ErrNotFound", err)
	}
}

func TestCreateFollowOnDeal(t *testing.T) {
	t.Parallel()
	e, other := setup(t), setup(t)
	parent := mustCreate(t, e.s, newLead(e.team))
	parent = e.mustMove(t, parent, pipeline.Move{To: pipeline.StageWon}, "U0REP1")
	var up pipeline.Deal
	e.mustTx(t, func(tx *sqlx.Tx) error {
		var err error
		up, err = e.s.CreateFollowOnDeal(t.Context(), tx, parent, store.KindUpsell, "", "U0REP2", dbNow(t, e.db))
		return err
	})
	if up.Number != parent.Number+1 || up.AccountID != parent.AccountID || up.ContactID != parent.ContactID ||
		up.Stage != pipeline.StageLead || up.OwnerID != "U0REP2" || up.CreatedBy != "U0REP2" || up.Title != "Acme Corp (upsell)" ||
		up.Value.Currency != parent.Value.Currency || up.ClosedAt != nil {
		t.Errorf("upsell = %+v", up)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deals WHERE id = $1 AND kind = 'upsell' AND parent_deal_id = $2 AND handoff_state = 'none'`, up.ID, parent.ID); n != 1 {
		t.Error("upsell not linked to its parent as kind upsell")
	}
	checkHistory(t, e.historyOf(t, up.ID), []string{"U0REP2 created kind:  -> upsell"})

	for name, kind := range map[string]string{"other workspace": store.KindCrossSell, "bad kind": "resell"} {
		ws, p := e, parent
		if name == "other workspace" {
			ws, p.WorkspaceID = other, other.team
		}
		err := ws.inTx(t, func(tx *sqlx.Tx) error {
			_, err := ws.s.CreateFollowOnDeal(t.Context(), tx, p, kind, "Cross", "U0EVIL", dbNow(t, e.db))
			return err
		})
		if err == nil || (name == "other workspace" && !errors.Is(err, store.ErrNotFound)) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// No number was used up by the refusals.
	if d := mustCreate(t, e.s, newLead(e.team)); d.Number != up.Number+1 {
		t.Errorf("next deal numbered %d, want %d", d.Number, up.Number+1)
	}
	if d := mustCreate(t, other.s, newLead(other.team)); d.Number != 1 {
		t.Errorf("other workspace's first deal numbered %d, want 1", d.Number)
	}
}

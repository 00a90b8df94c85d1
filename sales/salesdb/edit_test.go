package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// form is the Edit form as it opens on d: nothing changed.
func form(d pipeline.Deal) pipeline.EditForm {
	return pipeline.EditForm{Title: d.Title, Value: "12500", Recurring: d.Recurring, Source: d.Source,
		ContactName: d.ContactName, ContactEmail: d.ContactEmail}
}

func (e env) edit(n int64, actor pipeline.User, f pipeline.EditForm, key string) sales.EditDeal {
	return sales.EditDeal{Team: e.team, Actor: actor, Number: n, Form: f, IdempotencyKey: key}
}

// An edit is stored once however often its request arrives, with one
// history entry per changed field; the same form again changes nothing.
func TestEditDealStoresChangesOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	f := form(d)
	f.Title, f.Value, f.Source = "Acme <renewal>", "20000", "referral"
	in := e.edit(d.Number, e.user(t, "U0REP1"), f, "view:V1")

	res, err := e.svc.EditDeal(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, c := range res.Changes {
		fields = append(fields, c.Field)
	}
	if len(fields) != 3 || fields[0] != "title" || fields[1] != "amount" || fields[2] != "source" {
		t.Errorf("changed fields %v, want title, amount, source", fields)
	}
	stored, err := e.st.DealByNumber(t.Context(), e.st.DB(), e.team, d.Number)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Title != "Acme <renewal>" || stored.Value.Minor != 2_000_000 || stored.Source != "referral" {
		t.Errorf("stored deal %q %s %q, want the edit", stored.Title, stored.Value, stored.Source)
	}
	if res.After.Title != stored.Title || res.Before.Title != d.Title {
		t.Errorf("before %q, after %q; want %q, %q", res.Before.Title, res.After.Title, d.Title, stored.Title)
	}
	if _, err := e.svc.EditDeal(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'field' AND actor_id = 'U0REP1'`, d.ID); n != 3 {
		t.Errorf("field history entries = %d, want 3", n)
	}
	res, err = e.svc.EditDeal(t.Context(), e.edit(d.Number, e.user(t, "U0REP1"), f, "view:V2"))
	if err != nil || len(res.Changes) != 0 || res.After.Title != "Acme <renewal>" {
		t.Errorf("same form again: changes %v, err %v; want none", res.Changes, err)
	}
}

func TestEditDealRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	f := form(d)
	f.Title = "Taken over"

	_, err := e.svc.EditDeal(t.Context(), e.edit(d.Number, e.user(t, "U0REP2"), f, "k1"))
	var fb sales.ErrForbidden
	if !errors.As(err, &fb) || fb.Owner != "U0REP1" || !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("another rep: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.EditDeal(t.Context(), e.edit(999, e.user(t, "U0ADMIN"), f, "k2"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	bad := func(mod func(*pipeline.EditForm)) pipeline.EditForm {
		g := form(d)
		mod(&g)
		return g
	}
	for _, c := range []struct {
		field string
		form  pipeline.EditForm
	}{
		{"title", bad(func(g *pipeline.EditForm) { g.Title = "  " })},
		{"value", bad(func(g *pipeline.EditForm) { g.Value = "lots" })},
		{"expected_close", bad(func(g *pipeline.EditForm) { g.ExpectedClose = "soon" })},
		{"source", bad(func(g *pipeline.EditForm) { g.Source = "carrier pigeon" })},
		{"contact_email", bad(func(g *pipeline.EditForm) { g.ContactEmail = "jane at acme" })},
		{"title", bad(func(g *pipeline.EditForm) { g.Title, g.Value = "", "lots" })}, // the first bad field is named
	} {
		_, err := e.svc.EditDeal(t.Context(), e.edit(d.Number, e.user(t, "U0REP1"), c.form, "k:"+c.field+c.form.Value))
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("%s: err = %v, want a validation error on %s", c.field, err, c.field)
		}
	}
	if stored, err := e.st.DealByNumber(t.Context(), e.st.DB(), e.team, d.Number); err != nil || stored.Title != d.Title {
		t.Errorf("stored title %q (err %v), want unchanged %q", stored.Title, err, d.Title)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'field'`, d.ID); n != 0 {
		t.Errorf("field history entries = %d, want 0", n)
	}
}

package salesdb_test

import (
	"errors"
	"strings"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) followOn(n int64, actor pipeline.User, kind, title, key string) sales.OpenFollowOnDeal {
	return sales.OpenFollowOnDeal{Team: e.team, Actor: actor, Number: n, Kind: kind, Title: title, IdempotencyKey: key}
}

// A follow-on deal is opened once however often its request arrives: a
// lead its opener owns, on the parent's account, linked to the parent; with
// no title it is named after the account and the kind.
func TestOpenFollowOnDealOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	in := e.followOn(d.Number, e.user(t, "U0REP1"), sales.CrossSell, "", "slash:cross:1")

	res, err := e.svc.OpenFollowOnDeal(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Parent.Number != d.Number || res.Deal.Number == d.Number || res.Deal.OwnerID != "U0REP1" ||
		res.Deal.Stage != pipeline.StageLead || res.Deal.AccountName != d.AccountName || res.Deal.Title != d.AccountName+" cross-sell" {
		t.Errorf("parent %s, new deal %s %q owned by %s at %s on %q; want a new lead of U0REP1's on %q named %q",
			res.Parent.Ref(), res.Deal.Ref(), res.Deal.Title, res.Deal.OwnerID, res.Deal.Stage, res.Deal.AccountName, d.AccountName, d.AccountName+" cross-sell")
	}
	if _, err := e.svc.OpenFollowOnDeal(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE parent_deal_id = $1 AND kind = 'cross_sell' AND owner_id = 'U0REP1'`, d.ID); n != 1 {
		t.Errorf("cross-sell deals of %s = %d, want 1", d.Ref(), n)
	}
	res, err = e.svc.OpenFollowOnDeal(t.Context(), e.followOn(d.Number, e.user(t, "U0ADMIN"), sales.Upsell, " Seats for <ops> ", "slash:up:1"))
	if err != nil || res.Deal.Title != "Seats for <ops>" || res.Deal.OwnerID != "U0ADMIN" {
		t.Errorf("admin's upsell: %s %q owned by %s, err %v; want titled as typed, trimmed, the admin's", res.Deal.Ref(), res.Deal.Title, res.Deal.OwnerID, err)
	}
}

func TestOpenFollowOnDealRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	_, err := e.svc.OpenFollowOnDeal(t.Context(), e.followOn(d.Number, e.user(t, "U0REP2"), sales.Upsell, "", "k1"))
	var f sales.ErrForbidden
	if !errors.As(err, &f) || f.Owner != "U0REP1" || !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("another rep: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.OpenFollowOnDeal(t.Context(), e.followOn(999, e.user(t, "U0ADMIN"), sales.Upsell, "", "k2"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	for _, c := range []struct{ field, kind, title string }{
		{"kind", "renewal", ""},
		{"kind", "", ""},
		{"title", sales.Upsell, strings.Repeat("t", pipeline.MaxNameLen+1)},
	} {
		_, err := e.svc.OpenFollowOnDeal(t.Context(), e.followOn(d.Number, e.user(t, "U0REP1"), c.kind, c.title, "k:"+c.field+c.kind))
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("kind %q, title of %d: err = %v, want a validation error on %s", c.kind, len(c.title), err, c.field)
		}
	}
	if n := e.deals(t); n != 1 {
		t.Errorf("deals = %d, want only %s", n, d.Ref())
	}
}

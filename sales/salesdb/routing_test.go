package salesdb_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) rules(t *testing.T) []pipeline.RoutingRule {
	t.Helper()
	rules, err := e.svc.RoutingRules(t.Context(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func ruleTargets(rules []pipeline.RoutingRule) []string {
	var to []string
	for _, r := range rules {
		to = append(to, r.Industry+"→"+r.To)
	}
	return to
}

// An admin's rule is added after the others once per request key; a rule
// number that is not there changes nothing and leaves the key free for the
// corrected request; clearing leaves none.
func TestEditRoutingOnceInOrder(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	admin := e.user(t, "U0ADMIN")
	add := sales.EditRouting{Team: e.team, Actor: admin, Add: &pipeline.RoutingRule{Industry: "Fintech", To: "U0REP1"},
		IdempotencyKey: "slash:route:1"}

	got, err := e.svc.EditRouting(t.Context(), add)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Software→U0REP2", "Fintech→U0REP1"}; !slices.Equal(ruleTargets(got), want) || !slices.Equal(ruleTargets(e.rules(t)), want) {
		t.Errorf("rules returned %v, stored %v; want %v", ruleTargets(got), ruleTargets(e.rules(t)), want)
	}
	if _, err := e.svc.EditRouting(t.Context(), add); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := len(e.rules(t)); n != 2 {
		t.Errorf("%d rules after the repeat, want 2", n)
	}

	remove := sales.EditRouting{Team: e.team, Actor: admin, Remove: 3, IdempotencyKey: "slash:route:2"}
	_, err = e.svc.EditRouting(t.Context(), remove)
	var none sales.ErrNoSuchRule
	if !errors.As(err, &none) || none.Number != 3 || none.Count != 2 {
		t.Fatalf("remove 3 of 2: err = %v, want ErrNoSuchRule{3, 2}", err)
	}
	remove.Remove = 1
	if got, err = e.svc.EditRouting(t.Context(), remove); err != nil {
		t.Fatalf("remove 1 with the key the refused request left free: %v", err)
	}
	if want := []string{"Fintech→U0REP1"}; !slices.Equal(ruleTargets(got), want) || !slices.Equal(ruleTargets(e.rules(t)), want) {
		t.Errorf("after removing rule 1: returned %v, stored %v; want %v", ruleTargets(got), ruleTargets(e.rules(t)), want)
	}

	if _, err := e.svc.EditRouting(t.Context(), sales.EditRouting{Team: e.team, Actor: admin, Clear: true, IdempotencyKey: "slash:route:3"}); err != nil {
		t.Fatal(err)
	}
	if rules := e.rules(t); len(rules) != 0 {
		t.Errorf("after clear: %v, want no rules", ruleTargets(rules))
	}
}

// A rep may read the rules but not change them; a full workspace takes no
// more; neither writes anything.
func TestEditRoutingRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	rep := e.user(t, "U0REP1")

	_, err := e.svc.EditRouting(t.Context(), sales.EditRouting{Team: e.team, Actor: rep, Clear: true, IdempotencyKey: "k1"})
	var f sales.ErrForbidden
	if !errors.As(err, &f) || err.Error() != pipeline.AuthorizeAdminTo(rep, "change routing").Error() {
		t.Errorf("rep: err = %v, want ErrForbidden with the admin-only reason", err)
	}
	if n := len(e.rules(t)); n != 1 {
		t.Errorf("%d rules after the rep's clear, want the 1 there was", n)
	}
	if _, err := e.svc.ICP(t.Context(), rep); !errors.As(err, &f) {
		t.Errorf("rep reads the profile to change it: err = %v, want ErrForbidden", err)
	}

	full := make([]pipeline.RoutingRule, pipeline.MaxRoutingRules)
	for i := range full {
		full[i] = pipeline.RoutingRule{Industry: "Software", To: "U0REP2"}
	}
	if err := e.st.WithTx(t.Context(), func(tx *sqlx.Tx) error { return e.st.SaveRoutingRules(t.Context(), tx, e.team, full) }); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.EditRouting(t.Context(), sales.EditRouting{Team: e.team, Actor: e.user(t, "U0ADMIN"),
		Add: &pipeline.RoutingRule{Industry: "Fintech", To: "U0REP1"}, IdempotencyKey: "k2"})
	var many sales.ErrTooManyRules
	if !errors.As(err, &many) || many.Max != pipeline.MaxRoutingRules {
		t.Errorf("a rule past the limit: err = %v, want ErrTooManyRules{%d}", err, pipeline.MaxRoutingRules)
	}
	if n := len(e.rules(t)); n != pipeline.MaxRoutingRules {
		t.Errorf("%d rules, want still %d", n, pipeline.MaxRoutingRules)
	}
}

package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Requests missing their workspace or their actor, or from someone of
// another workspace, are refused naming the field, before anything is
// claimed, written or queued.
func TestRequestsRejectBadInputByField(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	svc, r := e.recording(directory{})
	d := e.offered(t)
	admin, rep := e.user(t, "U0ADMIN"), e.user(t, "U0REP2")
	stranger := admin
	stranger.WorkspaceID = "T0ELSEWHERE"
	nobody := pipeline.User{WorkspaceID: e.team}
	settings, err := e.st.Settings(t.Context(), e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := settings
	elsewhere.WorkspaceID = "T0ELSEWHERE"
	keysBefore := e.count(t, `SELECT count(*) FROM handled_keys WHERE workspace_id = $1`, e.team)

	answer := func(team string, actor pipeline.User, n int64) func() error {
		return func() error {
			_, err := svc.AnswerHandoff(t.Context(), sales.AnswerHandoff{Team: team, Actor: actor, Number: n, Accept: true, IdempotencyKey: "k"})
			return err
		}
	}
	icp := func(team string, actor pipeline.User) func() error {
		return func() error {
			return svc.SetICP(t.Context(), sales.SetICP{Team: team, Actor: actor, ICP: pipeline.ICP{Industries: []string{"Retail"}}, IdempotencyKey: "k"})
		}
	}
	save := func(team string, actor pipeline.User, st pipeline.Settings) func() error {
		return func() error {
			return svc.SaveSettings(t.Context(), sales.SaveSettings{Team: team, Actor: actor, Settings: st, IdempotencyKey: "k"})
		}
	}
	for _, c := range []struct {
		name, field string
		call        func() error
	}{
		{"answer without workspace", "team", answer("", rep, d.Number)},
		{"answer without actor", "actor", answer(e.team, nobody, d.Number)},
		{"answer from another workspace", "actor", answer(e.team, stranger, d.Number)},
		{"answer without deal", "deal", answer(e.team, rep, 0)},
		{"profile without workspace", "team", icp("", admin)},
		{"profile without actor", "actor", icp(e.team, nobody)},
		{"profile from another workspace", "actor", icp(e.team, stranger)},
		{"settings without workspace", "team", save("", admin, settings)},
		{"settings without actor", "actor", save(e.team, nobody, settings)},
		{"settings of another workspace", "actor", save(e.team, admin, elsewhere)},
	} {
		err := c.call()
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field || v.Msg == "" {
			t.Errorf("%s: err = %v, want a validation error on %s", c.name, err, c.field)
		}
	}

	if n := e.count(t, `SELECT count(*) FROM handled_keys WHERE workspace_id = $1`, e.team); n != keysBefore {
		t.Errorf("keys claimed = %d, want still %d", n, keysBefore)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP2' AND handoff_state = 'pending'`, d.ID); n != 1 {
		t.Errorf("the offer changed; want it pending with U0REP2")
	}
	if n := e.count(t, `SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND icp_industries <> '{}'`, e.team); n != 0 {
		t.Errorf("a profile was stored")
	}
	if got := r.all(); len(got) != 0 {
		t.Errorf("notices queued: %#v, want none", got)
	}
}

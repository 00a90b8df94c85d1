package salesdb_test

import (
	"errors"
	"slices"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The settings form saves the stages' required fields with the rest of
// the settings, checked as SaveApprovalRules checks them: a bad set saves
// nothing at all, nil keeps them and an empty set clears them.
func TestSettingsSaveTheStagesRequiredFields(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	admin := a.user(t, "U0ADMIN")
	st, err := a.st.Settings(t.Context(), a.st.DB(), a.team)
	if err != nil {
		t.Fatal(err)
	}
	save := func(tz string, r *pipeline.ApprovalRules, key string) error {
		s := st
		s.Timezone = tz
		return a.svc.SaveSettings(t.Context(), sales.SaveSettings{Team: a.team, Actor: admin, Settings: s, DiscountApproval: r, IdempotencyKey: key})
	}
	required := func() map[pipeline.Stage][]pipeline.DealField {
		t.Helper()
		r, err := a.svc.ApprovalRules(t.Context(), a.team)
		if err != nil {
			t.Fatal(err)
		}
		return r.Required
	}
	want := map[pipeline.Stage][]pipeline.DealField{pipeline.StageProposal: {pipeline.FieldAmount, pipeline.FieldCloseDate}}
	if err := save("Europe/Berlin", &pipeline.ApprovalRules{On: true, DiscountOverBps: 1500, Required: want}, "s1"); err != nil {
		t.Fatal(err)
	}
	if got := required()[pipeline.StageProposal]; !slices.Equal(got, want[pipeline.StageProposal]) {
		t.Errorf("Proposal requires %v, want %v", got, want[pipeline.StageProposal])
	}

	var bad *sales.ValidationError
	err = save("Asia/Tokyo", &pipeline.ApprovalRules{On: true, DiscountOverBps: 1500,
		Required: map[pipeline.Stage][]pipeline.DealField{pipeline.StageLost: {pipeline.FieldAmount}}}, "s2")
	if !errors.As(err, &bad) || bad.Msg != "A lost deal needs only its reason: Closed-lost cannot require fields." {
		t.Errorf("Lost requiring the amount: %v, want refused saying why", err)
	}
	if n := a.count(t, `SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND timezone = 'Asia/Tokyo'`, a.team); n != 0 {
		t.Error("the refused form's timezone was saved")
	}

	if err := save("Europe/Paris", &pipeline.ApprovalRules{On: true, DiscountOverBps: 1000}, "s3"); err != nil {
		t.Fatal(err)
	}
	if got := required()[pipeline.StageProposal]; len(got) != 2 {
		t.Errorf("a save without the required fields dropped them: %v", got)
	}
	if err := save("Europe/Paris", &pipeline.ApprovalRules{On: true, DiscountOverBps: 1000, Required: map[pipeline.Stage][]pipeline.DealField{}}, "s4"); err != nil {
		t.Fatal(err)
	}
	if got := required(); len(got) != 0 {
		t.Errorf("an empty set kept %v", got)
	}
}

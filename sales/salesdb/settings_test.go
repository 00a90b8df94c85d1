package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// settingsChange moves the workspace to EUR and Berlin and the first open
// stage's stale threshold to 21 days.
func (e env) settingsChange(t *testing.T, actor pipeline.User, key string) (sales.SaveSettings, pipeline.StageDef) {
	t.Helper()
	st, err := e.st.Settings(t.Context(), e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	stages, err := e.st.Stages(t.Context(), e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	st.Currency, st.Timezone = "EUR", "Europe/Berlin"
	s := stages[0]
	s.StaleDays = 21
	return sales.SaveSettings{Team: e.team, Actor: actor, Settings: st, Stages: []pipeline.StageDef{s}, IdempotencyKey: key}, s
}

func (e env) staleDays(t *testing.T, s pipeline.StageDef) int {
	return e.count(t, `SELECT stale_days FROM stages WHERE workspace_id = $1 AND key = $2`, e.team, string(s.Key))
}

// An admin's settings and stale thresholds are saved once per request key.
func TestSaveSettingsOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in, stage := e.settingsChange(t, e.user(t, "U0ADMIN"), "view:S1")

	if err := e.svc.SaveSettings(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Settings(t.Context(), e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	if got.Currency != "EUR" || got.Timezone != "Europe/Berlin" {
		t.Errorf("settings: currency %q, timezone %q; want EUR, Europe/Berlin", got.Currency, got.Timezone)
	}
	if n := e.staleDays(t, stage); n != 21 {
		t.Errorf("stale days of %s = %d, want 21", stage.Key, n)
	}
	in.Settings.Currency = "GBP"
	if err := e.svc.SaveSettings(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if got, _ := e.st.Settings(t.Context(), e.st.DB(), e.team); got.Currency != "EUR" {
		t.Errorf("currency after the repeat = %q, want still EUR", got.Currency)
	}
}

// A rep is refused with the reason, and nothing is written, the key included.
func TestSaveSettingsRefusesNonAdmin(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in, stage := e.settingsChange(t, e.user(t, "U0REP1"), "view:S2")
	before := e.staleDays(t, stage)

	err := e.svc.SaveSettings(t.Context(), in)
	var f sales.ErrForbidden
	if !errors.As(err, &f) || !errors.Is(err, pipeline.ErrForbidden) || err.Error() != pipeline.AuthorizeAdminTo(in.Actor, "change settings").Error() {
		t.Fatalf("rep: err = %v, want ErrForbidden with the admin-only reason", err)
	}
	if got, _ := e.st.Settings(t.Context(), e.st.DB(), e.team); got.Currency != "USD" {
		t.Errorf("currency = %q, want still USD", got.Currency)
	}
	if n := e.staleDays(t, stage); n != before {
		t.Errorf("stale days = %d, want still %d", n, before)
	}
	if n := e.count(t, `SELECT count(*) FROM handled_keys WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("keys claimed = %d, want 0", n)
	}
}

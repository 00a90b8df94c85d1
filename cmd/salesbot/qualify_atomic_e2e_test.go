package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Qualifying saves the answers and moves the stage in one transaction: when
// the move fails nothing is kept, and submitting the form again works.
func TestQualifyKeepsNothingWhenTheMoveFails(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Owner": "U0MARIA"})
	ref := fmt.Sprintf("D-%d", n)
	h.svc.bot.WaitHandlers()

	// The stage move's history row is refused for this workspace only.
	name := "fail_stage_" + strings.ToLower(regexp.MustCompile(`\W`).ReplaceAllString(h.team, ""))
	h.execSQL(fmt.Sprintf(`CREATE FUNCTION %[1]s() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'stage move refused'; END $$`, name))
	h.execSQL(fmt.Sprintf(`CREATE TRIGGER %[1]s BEFORE INSERT ON deal_history FOR EACH ROW
		WHEN (NEW.workspace_id = '%[2]s' AND NEW.action = 'stage') EXECUTE FUNCTION %[1]s()`, name, h.team))
	dropped := false
	drop := func() {
		if !dropped {
			dropped = true
			h.execSQL(fmt.Sprintf(`DROP TRIGGER %[1]s ON deal_history; DROP FUNCTION %[1]s()`, name))
		}
	}
	t.Cleanup(drop)

	answers := map[string]string{"Budget confirmed": "yes", "Authority": "decision_maker", "Need": "Pipeline visibility", "Timing": "1_3_months"}
	view, url := h.slashModal("U0MARIA", "/lead", "qualify "+ref)
	h.submit("U0MARIA", view, answers)
	if r := h.responseTo(url); strings.Contains(r.all(), "qualified: score") {
		t.Errorf("the failed qualification was reported done: %s", r.all())
	}
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND stage = 'lead' AND qualification->'bant' IS NULL`, h.team, n); c != 1 {
		t.Error("the answers were kept although the stage move failed")
	}

	// The same submission again (same view, same key) now goes through.
	drop()
	h.submit("U0MARIA", view, answers)
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND stage = 'qualified'
		AND qualification->'bant'->>'authority' = 'decision_maker'`, h.team, n); c != 1 {
		t.Error("submitting again after the failure did not qualify the lead")
	}
	if c := h.count(`SELECT count(*) FROM deal_history hi JOIN deals d ON d.id = hi.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 AND hi.action IN ('qualified', 'stage')`, h.team, n); c != 2 {
		t.Errorf("history has %d qualified/stage entries, want 2", c)
	}
}

func (h *harness) execSQL(query string) {
	h.t.Helper()
	if _, err := h.svc.db.ExecContext(h.ctx, query); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
}

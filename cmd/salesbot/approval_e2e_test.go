package main

import (
	"fmt"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// requireApprovalAbove sets the workspace's discount threshold; the
// settings form for it is not built yet.
func (h *harness) requireApprovalAbove(bps int) {
	h.t.Helper()
	if _, err := h.svc.db.ExecContext(h.ctx, `UPDATE workspace_settings SET approval_discount_bps = $2 WHERE workspace_id = $1`, h.team, bps); err != nil {
		h.t.Fatal(err)
	}
}

// /deal approve asks the admins (Maria has no manager) for the discount
// in a DM, and the deal cannot be closed won while they have not decided;
// a discount that is not a percentage is refused saying what to type.
func TestDealApproveAsksTheApproverAndHoldsTheWin(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	h.requireApprovalAbove(1000)

	if r := h.command("U0MARIA", "/deal", "approve "+ref+" lots of it"); !strings.Contains(r.all(), "Enter the discount as a percentage") {
		t.Errorf("a discount that is no number: %s", r.all())
	}
	r := h.command("U0MARIA", "/deal", "approve "+ref+" 20% multi-year <deal>")
	if want := "Approval of 20% off $12,500 (price $10,000) on " + ref + " asked of <@U0ADMIN>"; !strings.Contains(r.all(), want) {
		t.Errorf("answer lacks %q:\n%s", want, r.all())
	}
	m, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "asks you to approve") })
	if err != nil {
		t.Fatalf("the admin got no request: %v", err)
	}
	if !strings.Contains(m.Text, "<@U0MARIA> asks you to approve 20% off $12,500 (price $10,000) on "+ref) || !strings.Contains(m.Text, "multi-year &lt;deal&gt;") {
		t.Errorf("request DM: %s", m.Text)
	}
	if r := h.command("U0MARIA", "/deal", "won "+ref); !strings.Contains(r.all(), "waiting for approval from <@U0ADMIN>") {
		t.Errorf("won while the approval is pending: %s", r.all())
	}
	if got := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND stage = 'won'`, h.team, n); got != 0 {
		t.Error("the deal was closed won without its approval")
	}
}

package main

import (
	"fmt"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
	"salesbot/pipeline"
)

// requireApprovalAbove sets the workspace's discount threshold as an
// admin does: through the settings form.
func (h *harness) requireApprovalAbove(bps int) {
	h.t.Helper()
	h.saveSettingsForm(map[string]string{"Discount approval above (%)": strings.TrimSuffix(pipeline.FormatDiscount(bps), "%")})
	if got := h.count(`SELECT coalesce(approval_discount_bps, -1) FROM workspace_settings WHERE workspace_id = $1`, h.team); got != bps {
		h.t.Fatalf("the settings form set the threshold to %d bps, want %d", got, bps)
	}
}

// saveSettingsForm opens /salesbot settings as the admin, fills in fields
// by label and saves it, failing the test when the form is refused.
func (h *harness) saveSettingsForm(fields map[string]string) {
	h.t.Helper()
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), fields)
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		h.t.Fatalf("settings form refused: %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
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
	for _, want := range []string{"Approval of 20% off $12,500 (price $10,000) on " + ref + " asked of <@U0ADMIN>",
		"Discount 20% · price $10,000 · approval pending from <@U0ADMIN>"} {
		if !strings.Contains(r.all(), want) {
			t.Errorf("answer lacks %q:\n%s", want, r.all())
		}
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

	// Approve: the request is redrawn without its buttons, Maria is told,
	// and the deal can be won; a second click decides nothing more.
	h.click("U0ADMIN", m, "Approve")
	h.svc.bot.WaitHandlers()
	if d := h.lastMessage("DU0ADMIN", "You approved"); !strings.Contains(d.Text, "You approved 20% off $12,500 (price $10,000) on "+ref) {
		t.Errorf("approver's answer: %s", d.Text)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0ADMIN> approved 20% off $12,500 (price $10,000) on "+ref)
	}); err != nil {
		t.Errorf("Maria was not told of the approval: %v", err)
	}
	h.click("U0ADMIN", m, "Approve")
	h.svc.bot.WaitHandlers()
	if _, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), "was already approved by") }); err != nil {
		t.Errorf("a second click was not told it was decided: %v", err)
	}
	if got := h.count(`SELECT count(*) FROM deal_history h JOIN deals d ON d.id = h.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 AND h.action = 'approval' AND h.field = 'approved' AND h.actor_id = 'U0ADMIN'`, h.team, n); got != 1 {
		t.Errorf("approvals in the history: %d, want 1", got)
	}
	if r := h.command("U0MARIA", "/deal", ref); !strings.Contains(r.all(), "Discount 20% · price $10,000 · approved by <@U0ADMIN> at $10,000") {
		t.Errorf("the card after the approval: %s", r.all())
	}
	if r := h.command("U0MARIA", "/deal", "won "+ref); !strings.Contains(r.all(), ref+" is won") {
		t.Errorf("won once approved: %s", r.all())
	}

	// Reject asks why; without a reason the form says so, with one Maria hears it.
	n2 := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Estimated value": "8,000"})
	ref2 := fmt.Sprintf("D-%d", n2)
	h.command("U0MARIA", "/deal", "approve "+ref2+" 30 end of quarter")
	m2, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "approve 30% off $8,000") })
	if err != nil {
		t.Fatal(err)
	}
	view := h.modalFor(h.click("U0ADMIN", m2, "Reject"))
	if ack, _ := h.submit("U0ADMIN", view, map[string]string{"Reason": " "}); !strings.Contains(string(ack.Payload), "Say why you reject it") {
		t.Errorf("reject without a reason: %s", ack.Payload)
	}
	if ack, _ := h.submit("U0ADMIN", view, map[string]string{"Reason": "Too deep <for us>"}); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("reject form refused: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0ADMIN> rejected 30% off $8,000") && strings.Contains(m.Text, "Why: Too deep &lt;for us&gt;")
	}); err != nil {
		t.Errorf("Maria was not told of the rejection: %v", err)
	}
}

// The settings form sets the discount threshold: it opens as it is, a
// threshold that is not a percentage is refused under the field, and an
// empty one turns approvals off.
func TestSettingsFormSetsTheDiscountThreshold(t *testing.T) {
	h := setup(t)
	threshold := func() string {
		var s string
		if err := h.svc.db.GetContext(h.ctx, &s, `SELECT COALESCE(approval_discount_bps::text, 'off') FROM workspace_settings WHERE workspace_id = $1`, h.team); err != nil {
			t.Fatal(err)
		}
		return s
	}
	submit := func(value string) string {
		_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
		ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), map[string]string{"Discount approval above (%)": value})
		h.svc.bot.WaitHandlers()
		return string(ack.Payload)
	}
	if ack := submit("12.5"); ack != "" && ack != "null" {
		t.Fatalf("settings refused: %s", ack)
	}
	if got := threshold(); got != "1250" {
		t.Errorf("threshold after 12.5 = %s, want 1250 bps", got)
	}
	if ack := submit("lots"); !strings.Contains(ack, "Enter a percentage from 0 to 99.99") {
		t.Errorf("a threshold that is not a percentage: %s", ack)
	}
	if ack := submit(""); ack != "" && ack != "null" {
		t.Fatalf("settings refused: %s", ack)
	}
	if got := threshold(); got != "off" {
		t.Errorf("threshold after emptying it = %s, want off", got)
	}
}

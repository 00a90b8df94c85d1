package main

import (
	"fmt"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// Rejected through its form, the request in the approver's DM is redrawn
// as rejected, its buttons gone (the form carries the message's channel
// and ts, never a response_url); a form whose metadata did not come back
// says so inline instead of closing on nothing.
func TestRejectFormRedrawsTheRequestAndLostFormsSaySo(t *testing.T) {
	h := setup(t)
	h.requireApprovalAbove(1000)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Estimated value": "8,000"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", "approve "+ref+" 30 end of quarter")
	req, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "approve 30% off $8,000") })
	if err != nil {
		t.Fatal(err)
	}
	view := h.modalFor(h.click("U0ADMIN", req, "Reject"))
	if strings.Contains(view.PrivateMetadata, "http") || !strings.Contains(view.PrivateMetadata, req.TS) {
		t.Errorf("the form's metadata: %s", view.PrivateMetadata)
	}

	lost := view
	lost.PrivateMetadata = "{not json"
	if ack, _ := h.submit("U0ADMIN", lost, map[string]string{"Reason": "too deep"}); !strings.Contains(string(ack.Payload), "Reject discount lost track of the request") {
		t.Errorf("a reject form without its request: %s", ack.Payload)
	}

	okAck(t, "the reject form", func() slackfake.Ack {
		a, _ := h.submit("U0ADMIN", view, map[string]string{"Reason": "too deep"})
		return a
	}())
	h.svc.bot.WaitHandlers()
	var now slackfake.Message
	for _, m := range h.fake.Messages("DU0ADMIN") {
		if m.TS == req.TS {
			now = m
		}
	}
	if !strings.Contains(now.Text, ":x: You rejected 30% off $8,000") || strings.Contains(string(now.Blocks), "Approve") || strings.Contains(string(now.Blocks), "Reject") {
		t.Errorf("the request after the rejection: %q %s", now.Text, now.Blocks)
	}
	if c := h.count(`SELECT count(*) FROM approvals a JOIN deals d ON d.id = a.deal_id WHERE d.workspace_id = $1 AND d.number = $2 AND a.state = 'rejected'`, h.team, n); c != 1 {
		t.Errorf("rejected requests: %d, want 1", c)
	}

	// The Request approval form, its deal lost, says so too.
	m := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("D-%d", m))
	form := h.modalFor(h.click("U0MARIA", h.lastMessage("C0SALES", fmt.Sprintf("D-%d", m)), "Request approval"))
	form.PrivateMetadata = ""
	if ack, _ := h.submit("U0MARIA", form, map[string]string{"Discount (%)": "20"}); !strings.Contains(string(ack.Payload), "Request approval lost track of the deal") {
		t.Errorf("a request form without its deal: %s", ack.Payload)
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// approvalIn is the state and decider of the newest request on deal n of team.
func (h *harness) approvalIn(team string, n int64) string {
	h.t.Helper()
	var s string
	err := h.svc.db.GetContext(h.ctx, &s, `SELECT a.state || ':' || coalesce(a.decided_by, '') FROM approvals a JOIN deals d ON d.id = a.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 ORDER BY a.id DESC LIMIT 1`, team, n)
	if err != nil {
		return "none"
	}
	return s
}

// okAck fails the test when a form's ack carries errors.
func okAck(t *testing.T, what string, ack slackfake.Ack) {
	t.Helper()
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("%s refused: %s", what, ack.Payload)
	}
}

// Request approval on the card opens a form started from the deal; a
// discount that is no percentage, or needs no approval, is refused under
// the field; a good one asks the admin in a DM, as /deal approve does, and
// redraws the card as pending, once however often the form is delivered.
// A request no one could approve is refused to the person, not dropped.
func TestRequestApprovalFromTheCard(t *testing.T) {
	h := setup(t)
	h.requireApprovalAbove(1000)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", ref)
	card := h.lastMessage("C0SALES", ref)
	view := h.modalFor(h.click("U0MARIA", card, "Request approval"))
	if s := blockText(mustJSON(t, view.Blocks)); !strings.Contains(s, ref+" · Acme") || !strings.Contains(s, "A discount above 10% needs approval") {
		t.Errorf("the form: %s", s)
	}
	for _, c := range []struct{ discount, want string }{
		{"lots", "Enter the discount to approve as a percentage"},
		{"0", "Enter the discount to approve as a percentage"},
		{"5", "A 5% discount needs no approval here (only above 10%)"},
	} {
		if ack, _ := h.submit("U0MARIA", view, map[string]string{"Discount (%)": c.discount}); !strings.Contains(string(ack.Payload), c.want) {
			t.Errorf("discount %q: %s, want %q", c.discount, ack.Payload, c.want)
		}
	}
	ack, id := h.submit("U0MARIA", view, map[string]string{"Discount (%)": "20", "Reason": "multi-year <deal>"})
	okAck(t, "the request form", ack)
	h.svc.bot.WaitHandlers()
	card = h.lastMessage("C0SALES", ref)
	for _, want := range []string{"Approval of 20% off $12,500 (price $10,000) on " + ref + " asked of <@U0ADMIN>",
		"Discount 20% · price $10,000 · approval pending from <@U0ADMIN>"} {
		if !strings.Contains(card.Text+blockText(card.Blocks), want) {
			t.Errorf("the redrawn card lacks %q: %s", want, blockText(card.Blocks))
		}
	}
	if strings.Contains(string(card.Blocks), "Request approval") {
		t.Error("the card offers Request approval while one waits")
	}
	m, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "asks you to approve") })
	if err != nil || !strings.Contains(m.Text, "20% off $12,500 (price $10,000) on "+ref) || !strings.Contains(m.Text, "multi-year &lt;deal&gt;") {
		t.Fatalf("the admin's request: %q, %v", m.Text, err)
	}

	// Delivered again, the form asks nothing more.
	again, err := h.fake.Redeliver(h.ctx, id, "timeout")
	if err != nil {
		t.Fatal(err)
	}
	h.ack(again)
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM approvals a JOIN deals d ON d.id = a.deal_id WHERE d.workspace_id = $1 AND d.number = $2`, h.team, n); c != 1 {
		t.Errorf("requests after a redelivery: %d, want 1", c)
	}
	if c := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = 'approval_requested'`, h.team); c != 1 {
		t.Errorf("request DMs queued: %d, want 1", c)
	}

	// The admin's own deal: no one else could approve it, and they are told.
	own := h.newDeal("U0ADMIN", map[string]string{"Company": "Own Co", "Estimated value": "1,000"})
	h.command("U0ADMIN", "/deal", fmt.Sprintf("D-%d", own))
	ownCard := h.lastMessage("C0SALES", fmt.Sprintf("D-%d", own))
	ownView := h.modalFor(h.click("U0ADMIN", ownCard, "Request approval"))
	okAck(t, "the request form", first(h.submit("U0ADMIN", ownView, map[string]string{"Discount (%)": "30"})))
	h.svc.bot.WaitHandlers()
	if got := h.lastMessage("C0SALES", "no one to approve"); got.User != "U0ADMIN" {
		t.Errorf("the refusal went to %s", got.User)
	}
	if s := h.approvalIn(h.team, own); s != "none" {
		t.Errorf("a request no one can approve was stored: %s", s)
	}
}

func first(ack slackfake.Ack, _ string) slackfake.Ack { return ack }

// The settings form sets each stage's required fields; a move into such a
// stage, typed or through the card, is refused naming what is missing and
// how to fill it in, and goes through once it is filled in. Emptying the
// field in the form lifts the rule.
func TestRequiredFieldsFromTheSettingsForm(t *testing.T) {
	h := setup(t)
	h.saveSettingsForm(map[string]string{"Proposal & quote": "Amount,Expected close date"})
	if c := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1
		AND stage_required_fields = '{"proposal": ["amount", "expected_close"]}'::jsonb`, h.team); c != 1 {
		t.Fatal("the form did not store Proposal's required fields")
	}
	// Saved again untouched, the form keeps them: it opens with them.
	h.saveSettingsForm(map[string]string{"Timezone": "Europe/Berlin"})
	if c := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND stage_required_fields ? 'proposal'`, h.team); c != 1 {
		t.Fatal("saving the form again dropped the required fields")
	}

	n := h.newDeal("U0MARIA", map[string]string{"Company": "Initech"})
	ref := fmt.Sprintf("D-%d", n)
	want := ref + " needs amount and expected close date before it can move to Proposal &amp; quote: fill them in with Edit, then move it again"
	if r := h.command("U0MARIA", "/deal", "move "+ref+" proposal"); !strings.Contains(r.all(), want) {
		t.Errorf("typed move: %s\nwant %s", r.all(), want)
	}
	h.command("U0MARIA", "/deal", ref)
	card := h.lastMessage("C0SALES", ref)
	okAck(t, "the move form", first(h.submit("U0MARIA", h.modalFor(h.click("U0MARIA", card, "Move stage")), map[string]string{"New stage": "proposal"})))
	h.svc.bot.WaitHandlers()
	if got := h.lastMessage("C0SALES", "fill them in with Edit"); !strings.Contains(got.Text+blockText(got.Blocks), want) {
		t.Errorf("the card's move: %s", got.Text)
	}
	if s := h.stageOf(n); s != "lead" {
		t.Fatalf("a refused move stored stage %s", s)
	}
	okAck(t, "the edit form", first(h.submit("U0MARIA", h.modalFor(h.click("U0MARIA", card, "Edit")),
		map[string]string{"Estimated value": "9,000", "Expected close date": "2099-06-30"})))
	h.svc.bot.WaitHandlers()
	if r := h.command("U0MARIA", "/deal", "move "+ref+" proposal"); !strings.Contains(r.all(), "moved from Lead to Proposal") {
		t.Errorf("move with the fields filled in: %s", r.all())
	}

	h.saveSettingsForm(map[string]string{"Proposal & quote": ""})
	if c := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND stage_required_fields = '{}'::jsonb`, h.team); c != 1 {
		t.Error("emptying the field kept the rule")
	}
}

// An approved discount is voided by an edit of the amount, which tells the
// approver; the win is then refused saying to ask again, and an approved
// price is held: a win below it is refused naming the approved price.
func TestApprovalVoidedByAnEditAndHeldOnWon(t *testing.T) {
	h := setup(t)
	h.requireApprovalAbove(1000)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Hooli", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", "approve "+ref+" 20 multi-year")
	m, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "asks you to approve") })
	if err != nil {
		t.Fatal(err)
	}
	h.click("U0ADMIN", m, "Approve")
	h.svc.bot.WaitHandlers()
	if r := h.command("U0MARIA", "/deal", "won "+ref+" 10000"); !strings.Contains(r.all(), ref+" cannot be closed won at $8,000: the approved price is $10,000 (20% off $12,500). Close it at $10,000 or more") {
		t.Errorf("won below the approved price: %s", r.all())
	}

	h.command("U0MARIA", "/deal", ref)
	card := h.lastMessage("C0SALES", ref)
	okAck(t, "the edit form", first(h.submit("U0MARIA", h.modalFor(h.click("U0MARIA", card, "Edit")), map[string]string{"Estimated value": "15,000"})))
	h.svc.bot.WaitHandlers()
	if s := h.approvalIn(h.team, n); s != "invalidated:U0ADMIN" {
		t.Errorf("after the amount changed the approval is %s, want invalidated", s)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "The approval for 20% off $12,500 (price $10,000) on "+ref) && strings.Contains(m.Text, "no longer stands: <@U0MARIA> changed")
	}); err != nil {
		t.Errorf("the approver was not told: %v", err)
	}
	card = h.lastMessage("C0SALES", ref)
	if !strings.Contains(blockText(card.Blocks), "its approval no longer stands") || !strings.Contains(string(card.Blocks), "Request approval") {
		t.Errorf("the card after the edit: %s", blockText(card.Blocks))
	}
	if r := h.command("U0MARIA", "/deal", "won "+ref); !strings.Contains(r.all(), "cannot be closed won yet: its 20% discount is above the 10% that needs approval. Request approval with `/deal approve "+ref+" 20 &lt;reason&gt;`") &&
		!strings.Contains(r.all(), "cannot be closed won yet: its 20% discount is above the 10% that needs approval. Request approval with `/deal approve "+ref+" 20 <reason>`") {
		t.Errorf("won after the approval was voided: %s", r.all())
	}
	if s := h.stageOf(n); s == "won" {
		t.Error("the deal was won without a standing approval")
	}

	// Asked and approved again at the new amount, the approval is voided
	// by a change of the discount in the same form; a discount that is no
	// percentage is refused under the field.
	h.command("U0MARIA", "/deal", "approve "+ref+" 20 new amount")
	m, err = h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "approve 20% off $15,000") })
	if err != nil {
		t.Fatal(err)
	}
	h.click("U0ADMIN", m, "Approve")
	h.svc.bot.WaitHandlers()
	if s := h.approvalIn(h.team, n); s != "approved:U0ADMIN" {
		t.Fatalf("the second request is %s, want approved", s)
	}
	h.command("U0MARIA", "/deal", ref)
	card = h.lastMessage("C0SALES", ref)
	edit := h.modalFor(h.click("U0MARIA", card, "Edit"))
	if ack, _ := h.submit("U0MARIA", edit, map[string]string{"Discount (%)": "lots"}); !strings.Contains(string(ack.Payload), "Enter the discount as a percentage") {
		t.Errorf("a discount that is no percentage: %s", ack.Payload)
	}
	okAck(t, "the edit form", first(h.submit("U0MARIA", edit, map[string]string{"Discount (%)": "25"})))
	h.svc.bot.WaitHandlers()
	if s := h.approvalIn(h.team, n); s != "invalidated:U0ADMIN" {
		t.Errorf("after the discount changed the approval is %s, want invalidated", s)
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND discount_bps = 2500`, h.team, n); c != 1 {
		t.Error("the edit did not set the discount")
	}

	hist := h.command("U0MARIA", "/deal", "history "+ref).all()
	for _, w := range []string{"<@U0MARIA> asked for approval of “20% off $12,500 = $10,000: multi-year”",
		"<@U0ADMIN> approved the discount “20% off $12,500 = $10,000”",
		"<@U0MARIA> changed the amount or discount, voiding the approval of “20% off $12,500 = $10,000”"} {
		if !strings.Contains(hist, w) {
			t.Errorf("history lacks %q:\n%s", w, hist)
		}
	}
}

// Two approvers clicking Approve at once, through the real buttons, give
// one decision: one is told they approved, the other that it was approved
// already by the first; the requester hears it once.
func TestTwoApproversApproveAtOnce(t *testing.T) {
	h := setup(t)
	h.requireApprovalAbove(1000)
	h.command("U0ADMIN", "/salesbot", "role <@U0ADM2> admin")
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", "approve "+ref+" 20 multi-year")
	asked := func(m slackfake.Message) bool { return strings.Contains(m.Text, "asks you to approve 20% off") }
	m1, err1 := h.fake.WaitMessage(h.ctx, "DU0ADMIN", asked)
	m2, err2 := h.fake.WaitMessage(h.ctx, "DU0ADM2", asked)
	if err1 != nil || err2 != nil {
		t.Fatalf("both admins should be asked: %v, %v", err1, err2)
	}
	var wg sync.WaitGroup
	ids := make([]string, 2)
	errs := make([]error, 2)
	for i, c := range []struct {
		user string
		m    slackfake.Message
	}{{"U0ADMIN", m1}, {"U0ADM2", m2}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = h.fake.SendInteraction(h.ctx, h.clickPayload(c.user, c.m, "Approve"))
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		h.ack(ids[i])
	}
	h.svc.bot.WaitHandlers()
	state := h.approvalIn(h.team, n)
	winner := strings.TrimPrefix(state, "approved:")
	if winner != "U0ADMIN" && winner != "U0ADM2" {
		t.Fatalf("after two approves the request is %s", state)
	}
	loser := map[string]string{"U0ADMIN": "U0ADM2", "U0ADM2": "U0ADMIN"}[winner]
	if c := h.count(`SELECT count(*) FROM deal_history hh JOIN deals d ON d.id = hh.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 AND hh.action = 'approval' AND hh.field = 'approved'`, h.team, n); c != 1 {
		t.Errorf("decisions in the history: %d, want 1", c)
	}
	if c := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = 'approval_decided'`, h.team); c != 1 {
		t.Errorf("decisions queued for the requester: %d, want 1", c)
	}
	if got := h.lastMessage("D"+winner, "You approved"); !strings.Contains(got.Text, "You approved 20% off $12,500") {
		t.Errorf("the winner's answer: %s", got.Text)
	}
	if got := h.lastMessage("D"+loser, "was already approved"); !strings.Contains(got.Text, "was already approved by <@"+winner+">") {
		t.Errorf("the other approver's answer: %s", got.Text)
	}
}

// clickPayload is the interaction a click on a button of m by user sends.
func (h *harness) clickPayload(user string, m slackfake.Message, label string) map[string]any {
	h.t.Helper()
	b := findButton(h.t, m.Blocks, label)
	return map[string]any{
		"type": "block_actions", "team": map[string]any{"id": h.team}, "user": map[string]any{"id": user, "team_id": h.team},
		"api_app_id": slackfake.AppID, "trigger_id": h.fake.NewTriggerID(),
		"response_url": h.fake.NewMessageResponseURL(m.Channel, user, m.TS),
		"container":    map[string]any{"type": "message", "channel_id": m.Channel, "message_ts": m.TS, "is_ephemeral": m.Ephemeral},
		"channel":      map[string]any{"id": m.Channel},
		"actions": []map[string]any{{
			"type": "button", "action_id": b.ActionID, "block_id": b.BlockID, "value": b.Value,
			"text": map[string]any{"type": "plain_text", "text": b.Text}, "action_ts": "1",
		}},
	}
}

// Workspace B, whose deal has the same number, sees nothing of A's
// request: its admin's Approve and Reject on A's request are refused, its
// card shows no approval, and its own request stays its own.
func TestApprovalsAcrossWorkspaces(t *testing.T) {
	h := setup(t)
	h.requireApprovalAbove(1000)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	other := *h
	other.team = pgtest.TeamID()
	if nb := other.newDeal("U0MARIA", map[string]string{"Company": "Beta", "Estimated value": "12,500"}); nb != n {
		t.Fatalf("workspace B's deal is D-%d, want the same number D-%d", nb, n)
	}
	h.command("U0MARIA", "/deal", "approve "+ref+" 20 multi-year")
	m, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "asks you to approve") })
	if err != nil {
		t.Fatal(err)
	}

	other.click("U0ADMIN", m, "Approve")
	other.svc.bot.WaitHandlers()
	if _, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool {
		return strings.Contains(string(c.Body), "not in this workspace")
	}); err != nil {
		t.Errorf("B's approve was not refused: %v", err)
	}
	view := other.modalFor(other.click("U0ADMIN", m, "Reject"))
	okAck(t, "B's reject form", first(other.submit("U0ADMIN", view, map[string]string{"Reason": "not yours"})))
	other.svc.bot.WaitHandlers()
	if s := h.approvalIn(h.team, n); s != "pending:" {
		t.Errorf("A's request after B's clicks: %s, want pending", s)
	}
	if s := h.approvalIn(other.team, n); s != "none" {
		t.Errorf("B's deal has a request: %s", s)
	}
	if r := other.command("U0MARIA", "/deal", ref); strings.Contains(r.all(), "approval") || strings.Contains(r.all(), "Discount") {
		t.Errorf("B's card shows A's request: %s", r.all())
	}
	if r := other.command("U0MARIA", "/deal", "approve "+ref+" 20 x"); !strings.Contains(r.all(), "Discounts need no approval in this workspace") {
		t.Errorf("B's /deal approve with approvals off there: %s", r.all())
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND discount_bps = 2000`, h.team, n); c != 1 {
		t.Error("A's discount changed")
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND discount_bps <> 0`, other.team); c != 0 {
		t.Error("B's refused request set a discount")
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/internal/slackfake"
)

// homeButton is a button on user's published Home tab, in the block with
// blockID.
func (h *harness) homeButton(user, blockID, label string) (button, string) {
	h.t.Helper()
	h.homeNow(user)
	v, _ := h.fake.HomeView(user)
	var body struct {
		Blocks []struct {
			BlockID   string          `json:"block_id"`
			Accessory json.RawMessage `json:"accessory"`
			Elements  json.RawMessage `json:"elements"`
		} `json:"blocks"`
	}
	json.Unmarshal(v.JSON, &body)
	for _, b := range body.Blocks {
		if b.BlockID != blockID {
			continue
		}
		els := b.Elements
		if len(b.Accessory) > 0 {
			els = json.RawMessage("[" + string(b.Accessory) + "]")
		}
		wrapped := json.RawMessage(fmt.Sprintf(`[{"block_id":%q,"elements":%s}]`, blockID, els))
		return findButton(h.t, wrapped, label), v.ID
	}
	h.t.Fatalf("no block %s on %s's Home: %s", blockID, user, v.JSON)
	return button{}, ""
}

// clickHome presses a button of user's Home tab, as Slack sends it: from a
// view, with no response_url.
func (h *harness) clickHome(user, blockID, label string) {
	h.t.Helper()
	b, viewID := h.homeButton(user, blockID, label)
	id, err := h.fake.SendInteraction(h.ctx, map[string]any{
		"type": "block_actions", "team": map[string]any{"id": h.team}, "user": map[string]any{"id": user, "team_id": h.team},
		"api_app_id": slackfake.AppID, "trigger_id": h.fake.NewTriggerID(),
		"container": map[string]any{"type": "view", "view_id": viewID},
		"view":      map[string]any{"id": viewID, "type": "home", "team_id": h.team},
		"actions": []map[string]any{{"type": "button", "action_id": b.ActionID, "block_id": b.BlockID, "value": b.Value,
			"text": map[string]any{"type": "plain_text", "text": b.Text}, "action_ts": "1"}},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.ack(id)
	h.svc.bot.WaitHandlers()
}

// TestHomeRowsOpenCardsAndAnswerFollowUps: a deal row's Open sends the
// deal's card (with its buttons) by DM; a follow-up's Done and Snooze on
// the Home tab do what the reminder's do, and the tab is redrawn.
func TestHomeRowsOpenCardsAndAnswerFollowUps(t *testing.T) {
	h := setupAt(t, time.Date(2026, 12, 1, 7, 19, 0, 0, time.UTC))
	a := h.newDeal("U0ANN", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	b := h.newDeal("U0ANN", map[string]string{"Company": "Globex"})
	h.command("U0ANN", "/deal", fmt.Sprintf("followup D-%d 2026-12-01 14:30 call back", a))
	h.command("U0ANN", "/deal", fmt.Sprintf("followup D-%d 2026-12-01 15:30", b))
	var fa, fb int64
	h.svc.db.GetContext(h.ctx, &fa, `SELECT f.id FROM follow_ups f JOIN deals d ON d.id = f.deal_id WHERE f.workspace_id = $1 AND d.number = $2`, h.team, a)
	h.svc.db.GetContext(h.ctx, &fb, `SELECT f.id FROM follow_ups f JOIN deals d ON d.id = f.deal_id WHERE f.workspace_id = $1 AND d.number = $2`, h.team, b)
	if got := h.home("U0ANN"); !strings.Contains(got, "Follow-ups due* (2)") {
		t.Fatalf("Home before: %s", got)
	}

	h.clickHome("U0ANN", fmt.Sprintf("home_open_%d", a), "Open")
	card, err := h.fake.WaitMessage(h.ctx, "DU0ANN", func(m slackfake.Message) bool {
		return strings.Contains(blockText(m.Blocks), fmt.Sprintf("D-%d · Acme", a))
	})
	if err != nil {
		t.Fatalf("Open on a Home row sent no card: %v", err)
	}
	for _, label := range []string{"Move stage", "Log activity", "Won", "History"} {
		findButton(t, card.Blocks, label)
	}
	// The card's buttons work as on any card: Move stage opens its form.
	if v := h.modalFor(h.click("U0ANN", card, "Move stage")); v.CallbackID == "" {
		t.Error("the card's Move stage opened nothing")
	}

	h.clickHome("U0ANN", fmt.Sprintf("home_due_%d", fa), "Done")
	if n := h.count(`SELECT count(*) FROM follow_ups WHERE id = $1 AND done_at IS NOT NULL`, fa); n != 1 {
		t.Error("Done on the Home tab did not complete the follow-up")
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ANN", func(m slackfake.Message) bool { return strings.Contains(m.Text, fmt.Sprintf("D-%d done", a)) }); err != nil {
		t.Errorf("no answer to Done: %v", err)
	}
	h.clickHome("U0ANN", fmt.Sprintf("home_due_%d", fb), "Snooze")
	if n := h.count(`SELECT count(*) FROM follow_ups WHERE id = $1 AND snoozed_until IS NOT NULL AND done_at IS NULL`, fb); n != 1 {
		t.Error("Snooze on the Home tab did not snooze the follow-up")
	}
	got := h.homeNow("U0ANN")
	if strings.Contains(got, "call back") {
		t.Errorf("the Home tab still shows the follow-up marked done: %s", got)
	}
}

// TestHomeTeamRowOpensRepPipeline: a manager's team row opens that rep's
// open deals; nobody else's pipeline opens that way.
func TestHomeTeamRowOpensRepPipeline(t *testing.T) {
	h := setup(t)
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0ANN>")
	n := h.newDeal("U0ANN", map[string]string{"Company": "Initech", "Estimated value": "9,000"})
	h.newDeal("U0BOB", map[string]string{"Company": "Bobco"})
	if got := h.home("U0MGR"); !strings.Contains(got, "<@U0ANN> · 1 open") {
		t.Fatalf("manager's Home: %s", got)
	}
	h.clickHome("U0MGR", "home_team_U0ANN", "Pipeline")
	m, err := h.fake.WaitMessage(h.ctx, "DU0MGR", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Open deals of <@U0ANN>") })
	if err != nil {
		t.Fatalf("the team row opened nothing: %v", err)
	}
	if got := blockText(m.Blocks); !strings.Contains(got, fmt.Sprintf("D-%d", n)) || !strings.Contains(got, "Initech") || strings.Contains(got, "Bobco") {
		t.Errorf("Ann's pipeline: %s", got)
	}

	// A rep pressing a forged team row for someone else is refused.
	h.home("U0BOB")
	id, err := h.fake.SendInteraction(h.ctx, map[string]any{
		"type": "block_actions", "team": map[string]any{"id": h.team}, "user": map[string]any{"id": "U0BOB", "team_id": h.team},
		"api_app_id": slackfake.AppID, "trigger_id": h.fake.NewTriggerID(), "container": map[string]any{"type": "view"},
		"view":    map[string]any{"id": "V0", "type": "home"},
		"actions": []map[string]any{{"type": "button", "action_id": "home_rep_pipeline", "block_id": "home_team_U0ANN", "value": "U0ANN"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id)
	h.svc.bot.WaitHandlers()
	for _, msg := range h.fake.Messages("DU0BOB") {
		if strings.Contains(blockText(msg.Blocks)+msg.Text, "Initech") {
			t.Fatalf("a rep saw another rep's pipeline: %s", msg.Text)
		}
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, "U0ANN") }); err != nil {
		t.Errorf("the refusal did not reach the rep: %v", err)
	}
}

// TestSettingsWorkingDaysAreCheckboxes: the settings modal offers the
// working days as Slack's checkboxes, the workspace's days ticked, and
// saves what is ticked.
func TestSettingsWorkingDaysAreCheckboxes(t *testing.T) {
	h := setup(t)
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	view := h.modalFor(trigger)
	var days *slack.CheckboxGroupsBlockElement
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok && in.BlockID == "working_days" {
			days, _ = in.Element.(*slack.CheckboxGroupsBlockElement)
		}
	}
	if days == nil || len(days.Options) != 7 {
		t.Fatalf("working days are not seven checkboxes: %+v", days)
	}
	var ticked []string
	for _, o := range days.InitialOptions {
		ticked = append(ticked, o.Text.Text)
	}
	if got := strings.Join(ticked, ","); got != "Monday,Tuesday,Wednesday,Thursday,Friday" {
		t.Errorf("ticked when opened: %s", got)
	}
	ack, _ := h.submit("U0ADMIN", view, map[string]string{"Working days": "Saturday,Sunday"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND working_days = '{0,6}'`, h.team); n != 1 {
		t.Error("the ticked days were not saved")
	}
}

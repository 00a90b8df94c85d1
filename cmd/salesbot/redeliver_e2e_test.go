package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// readOnlyCommands are the registered commands that change nothing a
// redelivery could repeat, and why. Every other registered command must be
// in the redelivery table of TestRedeliveredCommandsAndButtonsChangeOnce.
var readOnlyCommands = map[string]string{
	"/lead new":             "opens the New lead form; its submission is keyed by the view ID",
	"/lead list":            "reads",
	"/lead import":          "opens the import form",
	"/lead qualify":         "opens the qualify form; its submission is keyed by the view ID",
	"/deal":                 "shows a card (/deal D-42)",
	"/deal edit":            "opens the edit form; its submission is keyed by the view ID",
	"/deal find":            "reads",
	"/deal history":         "reads",
	"/pipeline":             "reads",
	"/pipeline forecast":    "reads",
	"/pipeline stale":       "reads",
	"/pipeline leaderboard": "reads",
	"/pipeline metrics":     "reads",
	"/pipeline digest":      "previews the digest without sending it",
	"/salesbot help":        "reads",
	"/salesbot settings":    "opens the settings form",
	"/salesbot notify":      "opens the notifications form",
	"/salesbot icp":         "opens the ideal customer form",
	"/salesbot routing":     "reads",
}

// readOnlyButtons are the buttons that open a form or show something; the
// others are in the redelivery table.
var readOnlyButtons = []string{
	"deal_move", "deal_won", "deal_lost", "deal_note", "deal_followup", "deal_edit", // open a modal
	"deal_history", "deal_open", "home_new_lead",
	"approval_reject", // opens the Reject form, whose submission is keyed by its view
	// Opens the Request approval form, keyed by its view (TestRequestApprovalFromTheCard redelivers it).
	"deal_request_approval",
}

// sendSlash delivers a slash command without waiting for anything and
// returns the envelope and its response_url.
func (h *harness) sendSlash(user, command, text string) (id, responseURL string) {
	h.t.Helper()
	id, p := h.sendSlashEcho(user, command, text)
	return id, p.ResponseURL
}

// sendButton delivers a click on a button (action ID and value) of a bot
// message in user's DM, and returns the envelope and its response_url.
func (h *harness) sendButton(user, actionID, value string) (id, responseURL string) {
	h.t.Helper()
	responseURL = h.fake.NewResponseURL("D"+user, user)
	payload := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": h.team}, "user": map[string]any{"id": user, "team_id": h.team},
		"api_app_id": slackfake.AppID, "trigger_id": h.fake.NewTriggerID(), "response_url": responseURL,
		"container": map[string]any{"type": "message", "channel_id": "D" + user, "message_ts": "1.000001"},
		"channel":   map[string]any{"id": "D" + user},
		"actions": []map[string]any{{
			"type": "button", "action_id": actionID, "block_id": "alert:" + value, "value": value,
			"text": map[string]any{"type": "plain_text", "text": actionID}, "action_ts": "1",
		}},
	}
	id, err := h.fake.SendInteraction(h.ctx, payload)
	if err != nil {
		h.t.Fatal(err)
	}
	return id, responseURL
}

// answers counts the bot's posts to a response_url.
func (h *harness) answers(url string) int {
	rid := url[strings.LastIndex(url, "/")+1:]
	n := 0
	for _, c := range h.fake.Calls("response_url") {
		if c.Params["id"] == rid {
			n++
		}
	}
	return n
}

// workspaceState is a digest of every row of the test's workspace that a
// command can change, the outbox messages commands queue and the files
// shared: equal states mean nothing was written or sent in between.
func (h *harness) workspaceState() map[string]string {
	h.t.Helper()
	state := map[string]string{}
	for _, table := range []string{"accounts", "contacts", "deals", "deal_history", "activities", "follow_ups", "users", "workspace_settings", "api_keys", "webhook_endpoints", "lead_offers", "channel_settings"} {
		var sum string
		q := fmt.Sprintf(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM %s t WHERE workspace_id = $1`, table)
		if err := h.svc.db.GetContext(h.ctx, &sum, q, h.team); err != nil {
			h.t.Fatalf("%s: %v", table, err)
		}
		state[table] = sum
	}
	// Only the kinds commands queue: the scheduler's own (digests,
	// reminders) run on the wall clock and are not this test's subject.
	state["outbox jobs"] = fmt.Sprint(h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1
		AND args->>'kind' IN ('won_announcement', 'big_deal_alert', 'handoff_offer', 'handoff_answer', 'handoff_rerouted', 'lead_routed')`, h.team))
	state["files"] = fmt.Sprint(len(h.fake.Files()))
	shared := 0
	for _, m := range h.fake.Messages("") {
		if !m.Ephemeral && strings.Contains(m.Text, " shared by <@") {
			shared++
		}
	}
	state["shared cards"] = fmt.Sprint(shared)
	// Rooms by who asked for them and when, and their members: the job
	// fills in the channel afterwards.
	var rooms string
	if err := h.svc.db.GetContext(h.ctx, &rooms, `SELECT coalesce(md5(string_agg(r.deal_id || ':' || r.requested_by || ':' || r.requested_at
		|| ':' || (SELECT count(*) FROM deal_room_members m WHERE m.workspace_id = r.workspace_id AND m.deal_id = r.deal_id), '|' ORDER BY r.deal_id)), '')
		FROM deal_rooms r WHERE r.workspace_id = $1`, h.team); err != nil {
		h.t.Fatalf("deal_rooms: %v", err)
	}
	state["deal_rooms"] = rooms
	return state
}

func changed(a, b map[string]string) []string {
	var out []string
	for k := range a {
		if a[k] != b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Every slash command and button that writes changes the workspace once,
// and answers once, however often Slack delivers its envelope: after the
// first delivery finished, or while it is still being handled.
func TestRedeliveredCommandsAndButtonsChangeOnce(t *testing.T) {
	h := setup(t)
	h.setCelebrationChannel("C0WINS")
	h.requireApprovalAbove(1000)
	deal := func(company string) string {
		return fmt.Sprintf("D-%d", h.newDeal("U0MARIA", map[string]string{"Company": company, "Estimated value": "12,500"}))
	}
	offered := func(company string) string { // a deal of Maria's offered to Sam
		ref := deal(company)
		if r := h.command("U0MARIA", "/lead", "assign "+ref+" <@U0SAM>"); !strings.Contains(r.all(), "offered to") {
			t.Fatalf("assign %s: %s", ref, r.all())
		}
		return strings.TrimPrefix(ref, "D-")
	}
	followUp := func(company string) string { // the ID of a new follow-up
		ref := deal(company)
		h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am call back")
		return fmt.Sprint(h.count(`SELECT f.id FROM follow_ups f JOIN deals d ON d.id = f.deal_id
			WHERE d.workspace_id = $1 AND d.number = $2`, h.team, strings.TrimPrefix(ref, "D-")))
	}

	approvalOf := func(ref string) string { // the ID of a pending request on ref
		h.command("U0MARIA", "/deal", "approve "+ref+" 20 multi-year")
		return fmt.Sprint(h.count(`SELECT a.id FROM approvals a JOIN deals d ON d.id = a.deal_id
			WHERE d.workspace_id = $1 AND d.number = $2 AND a.state = 'pending'`, h.team, strings.TrimPrefix(ref, "D-")))
	}

	type send func() (id, responseURL string)
	slash := func(user, command, text string) send {
		return func() (string, string) { return h.sendSlash(user, command, text) }
	}
	button := func(user, action, value string) send {
		return func() (string, string) { return h.sendButton(user, action, value) }
	}
	cases := []struct {
		name     string // the command as registered, or the button's action ID
		send     send
		together bool // redeliver before the first delivery was acked
	}{
		{"/lead assign", slash("U0MARIA", "/lead", "assign "+deal("Assign Co")+" <@U0SAM>"), false},
		{"/deal move", slash("U0MARIA", "/deal", "move "+deal("Move Co")+" proposal"), false},
		{"/deal won", slash("U0MARIA", "/deal", "won "+deal("Won Co")+" 15000"), false},
		{"/deal lost", slash("U0MARIA", "/deal", "lost "+deal("Lost Co")+" no budget"), false},
		{"/deal approve", slash("U0MARIA", "/deal", "approve "+deal("Approve Co")+" 20 multi-year"), false},
		{"/deal note", slash("U0MARIA", "/deal", "note "+deal("Note Co")+" called Jane"), false},
		{"/deal note", slash("U0MARIA", "/deal", "note "+deal("Note Twice Co")+" called Joe"), true},
		{"/deal followup", slash("U0MARIA", "/deal", "followup "+deal("Followup Co")+" tomorrow 10am send the quote"), false},
		{"/deal upsell", slash("U0MARIA", "/deal", "upsell "+deal("Upsell Co")), false},
		{"/deal cross-sell", slash("U0MARIA", "/deal", "cross-sell "+deal("Cross Co")+" Support plan"), false},
		{"/pipeline export", slash("U0MARIA", "/pipeline", "export"), false},
		{"/salesbot role", slash("U0ADMIN", "/salesbot", "role <@U0SAM> manager"), false},
		{"/salesbot team", slash("U0ADMIN", "/salesbot", "team <@U0BOSS> <@U0ANN>"), false},
		{"/salesbot route", slash("U0ADMIN", "/salesbot", "route industry=Software <@U0SAM>"), false},
		{"/salesbot route", slash("U0ADMIN", "/salesbot", "route industry=Fintech <@U0ANN>"), true},
		{"/salesbot away", slash("U0MARIA", "/salesbot", "away on"), false},
		{"/salesbot capacity", slash("U0ADMIN", "/salesbot", "capacity <@U0SAM> 5"), false},
		{"/salesbot apikey", slash("U0ADMIN", "/salesbot", "apikey new Website"), false},
		{"/salesbot apikey", slash("U0ADMIN", "/salesbot", "apikey new Landing form https://example.com"), true},
		{"/salesbot webhook", slash("U0ADMIN", "/salesbot", "webhook add https://93.184.216.34/hooks deal.won"), false},
		{"handoff_accept", button("U0SAM", "handoff_accept", offered("Accept Co")), false},
		{"handoff_reject", button("U0SAM", "handoff_reject", offered("Reject Co")), false},
		{"followup_done", button("U0MARIA", "followup_done", followUp("Done Co")), false},
		{"followup_snooze", button("U0MARIA", "followup_snooze", followUp("Snooze Co")), false},
		{"deal_snooze", button("U0MARIA", "deal_snooze", strings.TrimPrefix(deal("Stale Co"), "D-")), false},
		{"approval_approve", button("U0ADMIN", "approval_approve", approvalOf(deal("Approved Co"))), false},
		{"/salesbot mentions", slash("U0ADMIN", "/salesbot", "mentions on"), false},
		{"mention_share", button("U0MARIA", "mention_share", strings.TrimPrefix(deal("Share Co"), "D-")+":1700000000.000100"), false},
		{"mention_share", button("U0MARIA", "mention_share", strings.TrimPrefix(deal("Share Twice Co"), "D-")+":1700000000.000200"), true},
		{"/deal room", slash("U0MARIA", "/deal", "room "+deal("Room Co")+" add <@U0SAM>"), false},
		{"deal_room_open", button("U0MARIA", "deal_room_open", strings.TrimPrefix(deal("Room Button Co"), "D-")), false},
	}
	h.svc.bot.WaitHandlers()

	tested := map[string]bool{}
	for _, c := range cases {
		tested[c.name] = true
		before := h.workspaceState()
		id, url := c.send()
		if !c.together {
			h.ack(id)
			h.svc.bot.WaitHandlers()
		}
		first := h.workspaceState()
		again, err := h.fake.Redeliver(h.ctx, id, "timeout")
		if err != nil {
			t.Fatal(err)
		}
		h.ack(again)
		h.ack(id)
		h.svc.bot.WaitHandlers()
		after := h.workspaceState()
		if c.together {
			first = after // what both deliveries did is checked below
		} else if d := changed(first, after); len(d) > 0 {
			t.Errorf("%s delivered again changed %v", c.name, d)
		}
		if len(changed(before, first)) == 0 {
			t.Errorf("%s changed nothing at all: the case does not test a write", c.name)
		}
		if n := h.answers(url); n != 1 {
			t.Errorf("%s delivered twice answered %d times, want once", c.name, n)
		}
	}

	// Delivered twice at once, a note is logged once and a rule added once.
	if n := h.count(`SELECT count(*) FROM activities a JOIN deals d ON d.id = a.deal_id JOIN accounts c ON c.id = d.account_id
		WHERE d.workspace_id = $1 AND c.name = 'Note Twice Co' AND a.body = 'called Joe'`, h.team); n != 1 {
		t.Errorf("a note delivered twice at once was logged %d times, want once", n)
	}
	if n := h.count(`SELECT count(*) FROM workspace_settings, jsonb_array_elements(routing_rules) r
		WHERE workspace_id = $1 AND r::text LIKE '%Fintech%'`, h.team); n != 1 {
		t.Errorf("a rule delivered twice at once was added %d times, want once", n)
	}
	if n := h.count(`SELECT count(*) FROM api_keys WHERE workspace_id = $1 AND label = 'Landing'`, h.team); n != 1 {
		t.Errorf("an API key asked for twice at once was made %d times, want once", n)
	}

	// The forms those read-only commands open save once too, and say so once.
	forms := []struct {
		user, command, sub string
		fields             map[string]string
		saved              string
	}{
		{"U0ADMIN", "/salesbot", "settings", map[string]string{"Alerts channel": "C0ALERTS"}, "Settings saved"},
		{"U0MARIA", "/salesbot", "notify", map[string]string{"Quiet hours from": "22:00", "Quiet hours until": "07:00"}, "Notification choices saved"},
		{"U0ADMIN", "/salesbot", "icp", map[string]string{"Industries": "Software, Fintech"}, "Ideal customer profile saved"},
		{"U0MARIA", "/lead", "import", map[string]string{"CSV rows": "company,contact email\nImport Co,ann@import.example"}, "Import finished"},
	}
	for _, f := range forms {
		saved := func() int {
			n := 0
			for _, m := range h.fake.Messages("D" + f.user) {
				if strings.Contains(m.Text, f.saved) {
					n++
				}
			}
			return n
		}
		savedBefore, before := saved(), h.workspaceState()
		_, trigger := h.slash(f.user, f.command, f.sub)
		ack, id := h.submit(f.user, h.modalFor(trigger), f.fields)
		if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
			t.Fatalf("%s form rejected: %s", f.sub, ack.Payload)
		}
		h.svc.bot.WaitHandlers()
		first := h.workspaceState()
		again, err := h.fake.Redeliver(h.ctx, id, "timeout")
		if err != nil {
			t.Fatal(err)
		}
		h.ack(again)
		h.svc.bot.WaitHandlers()
		if d := changed(first, h.workspaceState()); len(d) > 0 {
			t.Errorf("the %s form delivered again changed %v", f.sub, d)
		}
		if len(changed(before, first)) == 0 {
			t.Errorf("the %s form changed nothing at all", f.sub)
		}
		if n := saved() - savedBefore; n != 1 {
			t.Errorf("the %s form delivered twice said %q %d times, want once", f.sub, f.saved, n)
		}
	}

	// Add to deal (a message shortcut, which only opens its form): the
	// form's submission adds the message once and says so once.
	{
		h.fake.AddChannel(slackfake.Channel{ID: "C0CUST", Name: "customers", Members: []string{"U0MARIA", "U0CUST"}})
		msg, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0CUST", Text: "Capture Co wants a quote"})
		if err != nil {
			t.Fatal(err)
		}
		n := strings.TrimPrefix(deal("Capture Co"), "D-")
		addedMsgs := func() int {
			c := 0
			for _, m := range h.fake.Messages("DU0MARIA") {
				if strings.Contains(m.Text, "Message added to D-"+n) {
					c++
				}
			}
			return c
		}
		before := h.workspaceState()
		ack, id := h.submit("U0MARIA", h.addToDeal("U0MARIA", "C0CUST", msg.TS), map[string]string{"Deal": n})
		if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
			t.Fatalf("Add to deal form rejected: %s", ack.Payload)
		}
		h.svc.bot.WaitHandlers()
		first := h.workspaceState()
		again, err := h.fake.Redeliver(h.ctx, id, "timeout")
		if err != nil {
			t.Fatal(err)
		}
		h.ack(again)
		h.svc.bot.WaitHandlers()
		if d := changed(first, h.workspaceState()); len(d) > 0 {
			t.Errorf("Add to deal delivered again changed %v", d)
		}
		if len(changed(before, first)) == 0 {
			t.Error("Add to deal changed nothing at all")
		}
		if c := addedMsgs(); c != 1 {
			t.Errorf("Add to deal delivered twice said so %d times, want once", c)
		}
	}

	// No command escapes the table: each registered one is tested above or
	// known to write nothing.
	registered := h.svc.app.Commands()
	for _, name := range registered {
		if !tested[name] && readOnlyCommands[name] == "" {
			t.Errorf("%s is neither tested for redelivery nor listed as read-only", name)
		}
	}
	for name := range maps.Keys(readOnlyCommands) {
		if !slices.Contains(registered, name) {
			t.Errorf("read-only list names %s, which is not a registered command", name)
		}
	}
	// Nor does a button the bot drew during the test.
	for _, c := range h.fake.Calls("") {
		for _, action := range buttonsIn(string(c.Body), c.Params["blocks"]) {
			if !tested[action] && !slices.Contains(readOnlyButtons, action) {
				t.Errorf("button %s is neither tested for redelivery nor listed as read-only", action)
			}
		}
	}
}

// buttonsIn returns the action IDs of the buttons in JSON documents.
func buttonsIn(docs ...string) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if id, ok := x["action_id"].(string); ok && x["type"] == "button" {
				out = append(out, id)
			}
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, d := range docs {
		var v any
		if json.Unmarshal([]byte(d), &v) == nil {
			walk(v)
		}
	}
	return out
}

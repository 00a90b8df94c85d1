package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/internal/slackfake"
	"salesbot/pipeline"
	"salesbot/sales"
)

// Markup a person could type to ping a channel and show a fake link. Slack
// must only ever receive it escaped.
const (
	evil        = "<!channel> <http://evil.example|login> & Co"
	evilEscaped = "&lt;!channel&gt; &lt;http://evil.example|login&gt; &amp; Co"
)

// rawMarkup are the pieces of evil that must never reach Slack unescaped.
var rawMarkup = []string{"<!channel>", "<http://evil.example", "<mailto:a|b"}

// unescaped lists where v, a message, view or ack as Slack received it,
// carries raw markup. plain_text objects and input values are exempt: Slack
// shows them literally.
func unescaped(v any, path string) []string {
	var out []string
	switch x := v.(type) {
	case string:
		var inner any
		if t := strings.TrimSpace(x); (strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")) && json.Unmarshal([]byte(t), &inner) == nil {
			return unescaped(inner, path) // blocks sent as a form value
		}
		for _, m := range rawMarkup {
			if strings.Contains(x, m) {
				out = append(out, fmt.Sprintf("%s = %q", path, x))
				break
			}
		}
	case []any:
		for i, e := range x {
			out = append(out, unescaped(e, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case map[string]any:
		plain := x["type"] == "plain_text"
		for k, e := range x {
			if plain && k == "text" || k == "initial_value" || k == "value" || k == "errors" {
				continue
			}
			out = append(out, unescaped(e, path+"."+k)...)
		}
	}
	return out
}

// decoded is a JSON payload as a value to walk; raw bytes that are not JSON
// come back as one string.
func decoded(raw []byte) any {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	return v
}

// postedKinds are the outbox message kinds the bot's code can post, read
// from the source: every outbox.Message literal's Kind, and the kinds the
// scheduler's report helper is called with.
func postedKinds(t *testing.T) []string {
	t.Helper()
	var kinds []string
	fset := token.NewFileSet()
	for _, dir := range []string{"../../commands", "../../notices", "../../scheduler"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				fn, _ := decl.(*ast.FuncDecl)
				ast.Inspect(decl, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.CompositeLit:
						sel, ok := n.Type.(*ast.SelectorExpr)
						if !ok || sel.Sel.Name != "Message" || fmt.Sprint(sel.X) != "outbox" {
							return true
						}
						for _, e := range n.Elts {
							kv, ok := e.(*ast.KeyValueExpr)
							if !ok || fmt.Sprint(kv.Key) != "Kind" {
								continue
							}
							if lit, ok := kv.Value.(*ast.BasicLit); ok {
								s, _ := strconv.Unquote(lit.Value)
								kinds = append(kinds, s)
							} else if fn == nil || fn.Name.Name != "report" {
								t.Errorf("%s: a message kind not written as a literal; teach this test to read it", fset.Position(kv.Pos()))
							}
						}
					case *ast.CallExpr:
						if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "report" && len(n.Args) > 2 {
							if lit, ok := n.Args[2].(*ast.BasicLit); ok {
								s, _ := strconv.Unquote(lit.Value)
								kinds = append(kinds, s)
							}
						}
					}
					return true
				})
			}
		}
	}
	slices.Sort(kinds)
	return slices.Compact(kinds)
}

// createLead fills the New lead form as user and returns the deal number,
// from the confirmation DM.
func (h *harness) createLead(user string, fields map[string]string) int64 {
	h.t.Helper()
	before := len(h.fake.Messages("D" + user))
	h.submit(user, h.openLeadModal(user, ""), fields)
	msg, err := h.fake.WaitMessage(h.ctx, "D"+user, func(m slackfake.Message) bool {
		return len(h.fake.Messages("D"+user)) > before && strings.HasPrefix(m.Text, "Lead D-") && strings.Contains(m.Text, "created")
	})
	if err != nil {
		h.t.Fatalf("lead not confirmed: %v", err)
	}
	msgs := h.fake.Messages("D" + user)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.HasPrefix(msgs[i].Text, "Lead D-") {
			msg = msgs[i]
			break
		}
	}
	ref := strings.TrimSuffix(strings.Fields(msg.Text)[1], ":")
	n, err := strconv.ParseInt(strings.TrimPrefix(ref, "D-"), 10, 64)
	if err != nil {
		h.t.Fatalf("confirmation %q names no deal", msg.Text)
	}
	return n
}

// A person's markup reaches Slack escaped in every message the bot posts:
// the outbox's kinds (read from the code, so a new kind cannot be missed),
// the answers to commands and buttons, and the Home tab.
func TestEscapingUserMarkupInEveryMessage(t *testing.T) {
	base := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // a Wednesday, 09:00
	h := setupAt(t, base)
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), map[string]string{
		"Celebration channel": "C0WINS", "Digest channel": "C0DIGEST", "Alerts channel": "C0ALERTS", "Big-deal threshold": "10k"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") }); err != nil {
		t.Fatal(err)
	}
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0MARIA> <@U0BOB>")
	// A stage label is text people chose too.
	h.sql(`UPDATE stages SET label = 'Qualified ' || $2 WHERE workspace_id = $1 AND key = 'qualified'`, h.team, evil)

	surfaces := map[string]reply{} // what a person was shown, by what it answered
	a := h.createLead("U0MARIA", map[string]string{"Company": evil, "Deal title": evil + " renewal", "Contact name": "Jane " + evil,
		"Contact email": "a|b&c@evil.example", "Notes": evil, "Estimated value": "12,500", "Owner": "U0MARIA"})
	refA := fmt.Sprintf("D-%d", a)
	// A has a deal room: its move, follow-up and note are posted there too.
	h.openRoomFor(a, "C0ROOMA")
	surfaces["lead created DM"] = reply{Text: h.lastMessage("DU0MARIA", "Lead "+refA).Text, Blocks: h.lastMessage("DU0MARIA", "Lead "+refA).Blocks}
	surfaces["/lead list"] = h.command("U0MARIA", "/lead", "list")
	surfaces["/deal move (confirmation and card)"] = h.command("U0MARIA", "/deal", "move "+refA+" qualified")
	surfaces["/deal followup"] = h.command("U0MARIA", "/deal", "followup "+refA+" tomorrow 10am "+evil)
	surfaces["/deal note"] = h.command("U0MARIA", "/deal", "note "+refA+" "+evil)
	surfaces["/deal D-n card"] = h.command("U0MARIA", "/deal", refA)
	surfaces["/deal history"] = h.command("U0MARIA", "/deal", "history "+refA)
	surfaces["/deal find"] = h.command("U0MARIA", "/deal", "find evil.example")
	surfaces["/deal find, nothing found"] = h.command("U0MARIA", "/deal", "find "+evil+" zzz")
	surfaces["/deal move to an unknown stage"] = h.command("U0MARIA", "/deal", "move "+refA+" "+evil)
	surfaces["/deal D-n with extra words"] = h.command("U0MARIA", "/deal", "history "+refA+" "+evil)
	surfaces["/lead list with a bad scope"] = h.command("U0MARIA", "/lead", "list <!channel>")
	surfaces["/pipeline forecast of a bad period"] = h.command("U0MARIA", "/pipeline", "forecast "+evil)
	surfaces["/pipeline with a bad word"] = h.command("U0MARIA", "/pipeline", evil)

	// Add to deal on a customer's message that says the markup as text
	// (Slack sends it escaped): the form (checked with every call below),
	// the answer and the history show it escaped.
	h.fake.AddChannel(slackfake.Channel{ID: "C0CUST", Name: "customers", Members: []string{"U0MARIA", "U0CUST"}})
	cust, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0CUST", Text: evilEscaped + " wants a call"})
	if err != nil {
		t.Fatal(err)
	}
	h.submit("U0MARIA", h.addToDeal("U0MARIA", "C0CUST", cust.TS), map[string]string{"Deal": strconv.FormatInt(a, 10)})
	added, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Message added to "+refA) })
	if err != nil {
		t.Fatalf("Add to deal not answered: %v", err)
	}
	surfaces["Add to deal answer"] = reply{Text: added.Text, Blocks: added.Blocks}
	surfaces["/deal history with a captured message"] = h.command("U0MARIA", "/deal", "history "+refA)
	if s := surfaces["/deal history with a captured message"].all(); !strings.Contains(s, evilEscaped+" wants a call") {
		t.Errorf("the captured message is not in the history as written: %s", s)
	}

	// Won with no celebration channel: the hint to set one.
	h.sql(`UPDATE workspace_settings SET celebration_channel = '' WHERE workspace_id = $1`, h.team)
	hint := h.createLead("U0MARIA", map[string]string{"Company": evil + " H", "Owner": "U0MARIA"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("won D-%d", hint))
	for _, to := range []string{"DU0MARIA", "DU0ADMIN"} {
		if _, err := h.fake.WaitMessage(h.ctx, to, func(m slackfake.Message) bool { return strings.Contains(m.Text, "no celebration channel") }); err != nil {
			t.Fatalf("no celebration-channel hint to %s: %v", to, err)
		}
	}
	h.sql(`UPDATE workspace_settings SET celebration_channel = 'C0WINS' WHERE workspace_id = $1`, h.team)

	// Won (announcement, big-deal alert, check-ins), lost with a reason.
	w := h.createLead("U0MARIA", map[string]string{"Company": evil + " W", "Estimated value": "20,000", "Owner": "U0MARIA"})
	surfaces["/deal won"] = h.command("U0MARIA", "/deal", fmt.Sprintf("won D-%d", w))
	l := h.createLead("U0MARIA", map[string]string{"Company": "Lost Co", "Owner": "U0MARIA"})
	h.openRoomFor(l, "C0ROOML") // the loss, its reason and summary in the room
	surfaces["/deal lost"] = h.command("U0MARIA", "/deal", fmt.Sprintf("lost D-%d %s", l, evil))
	surfaces["/deal upsell"] = h.command("U0MARIA", "/deal", "upsell "+refA)

	// A discount asked with a reason: the answer, and the manager's DM.
	h.sql(`UPDATE workspace_settings SET approval_discount_bps = 1000 WHERE workspace_id = $1`, h.team)
	ap := h.createLead("U0MARIA", map[string]string{"Company": evil + " AP", "Estimated value": "12,500", "Owner": "U0MARIA"})
	h.openRoomFor(ap, "C0ROOMAP") // each step of the request in the room
	surfaces["/deal approve"] = h.command("U0MARIA", "/deal", fmt.Sprintf("approve D-%d 20 %s", ap, evil))
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MGR", func(m slackfake.Message) bool { return strings.Contains(m.Text, fmt.Sprintf("D-%d", ap)) }); err != nil {
		t.Fatalf("no approval request to the manager: %v", err)
	}
	// A day later it reminds the manager, who rejects it saying why; asked
	// again, it is voided by an amount edit. No button decides yet: the
	// use cases do, as the buttons will.
	h.sql(`UPDATE approvals SET requested_at = requested_at - interval '3 days' WHERE workspace_id = $1`, h.team)
	if res, err := h.svc.sales.RemindApprovals(h.ctx, h.team); err != nil || res.Reminded != 1 {
		t.Fatalf("remind approvals: %+v, %v", res, err)
	}
	var approvalID int64
	if err := h.svc.db.GetContext(h.ctx, &approvalID, `SELECT id FROM approvals WHERE workspace_id = $1`, h.team); err != nil {
		t.Fatal(err)
	}
	mgr, _, err := h.svc.sales.Actor(h.ctx, h.team, "U0MGR")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.sales.DecideApproval(h.ctx, sales.DecideApproval{Team: h.team, Actor: mgr, ApprovalID: approvalID, Reason: evil, IdempotencyKey: "escape:reject"}); err != nil {
		t.Fatal(err)
	}
	h.command("U0MARIA", "/deal", fmt.Sprintf("approve D-%d 25 %s", ap, evil))
	h.command("U0MARIA", "/deal", fmt.Sprintf("approve D-%d 30 %s", ap, evil)) // replacing the 25% request
	maria, _, err := h.svc.sales.Actor(h.ctx, h.team, "U0MARIA")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.sales.EditDeal(h.ctx, sales.EditDeal{Team: h.team, Actor: maria, Number: ap, IdempotencyKey: "escape:edit",
		Form: pipeline.EditForm{Title: evil + " T", Value: "5000", ContactName: "", ContactEmail: ""}}); err != nil { // in the room too
		t.Fatal(err)
	}

	// Handed over, then accepted.
	c := h.createLead("U0MARIA", map[string]string{"Company": evil + " C", "Owner": "U0MARIA"})
	h.openRoomFor(c, "C0ROOMC") // its new owner in the room
	h.command("U0MARIA", "/lead", fmt.Sprintf("assign D-%d <@U0BOB>", c))
	offer, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, fmt.Sprintf("D-%d", c)) })
	if err != nil {
		t.Fatalf("no handoff offer: %v", err)
	}
	h.click("U0BOB", offer, "Accept")

	// Routed, then rejected: offered on, and a manager told.
	r := h.createLead("U0ADMIN", map[string]string{"Company": evil + " R", "Owner": ""})
	var routedTo string
	if err := h.svc.db.GetContext(h.ctx, &routedTo, `SELECT owner_id FROM deals WHERE workspace_id = $1 AND number = $2`, h.team, r); err != nil {
		t.Fatal(err)
	}
	routed, err := h.fake.WaitMessage(h.ctx, routedTo, func(m slackfake.Message) bool { return strings.Contains(m.Text, fmt.Sprintf("D-%d", r)) })
	if err != nil {
		t.Fatalf("no routed-lead offer to %s: %v", routedTo, err)
	}
	h.click(routedTo, routed, "Reject")
	if _, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), "You rejected") }); err != nil {
		t.Fatal(err)
	}

	// From a web form: a lead repeating deal A is logged on it, its owner told.
	dup, ferrs := pipeline.ValidateLead(pipeline.LeadForm{Company: evil, ContactEmail: "A|B&C@evil.example", Source: "inbound"}, "USD")
	if len(ferrs) > 0 {
		t.Fatal(ferrs)
	}
	dup.WorkspaceID, dup.CreatedBy, dup.IdempotencyKey = h.team, "U0ADMIN", "api:escape-duplicate"
	dup.Inbound = &pipeline.Inbound{Message: "Still keen " + evil, UTMSource: evil}
	if res, err := h.svc.sales.CreateLead(h.ctx, dup); err != nil || !res.Duplicate {
		t.Fatalf("inbound repeat of %s: %+v, %v; want a duplicate", refA, res, err)
	}

	// A webhook failing for days is disabled, with the endpoint's own words.
	admin, _, err := h.svc.sales.Actor(h.ctx, h.team, "U0ADMIN")
	if err != nil {
		t.Fatal(err)
	}
	hook, err := h.svc.sales.AddWebhook(h.ctx, sales.AddWebhook{Team: h.team, Actor: admin, URL: "https://93.184.216.34/hooks", IdempotencyKey: "escape-hook"})
	if err != nil {
		t.Fatal(err)
	}
	h.sql(`UPDATE webhook_endpoints SET failing_since = $2::timestamptz - interval '4 days' WHERE workspace_id = $1`, h.team, base)
	if off, err := h.svc.sales.WebhookFailed(h.ctx, h.team, hook.Webhook.ID, "HTTP 500: "+evil); err != nil || !off {
		t.Fatalf("webhook failing for 4 days: disabled %v, %v", off, err)
	}

	// Routed and never answered: the handoff run below lets it lapse.
	h.createLead("U0ADMIN", map[string]string{"Company": evil + " T", "Owner": ""})

	_, report := h.importCSV("U0MARIA", "Company,estimated value,owner\n"+evil+",not money,U0MARIA")
	surfaces["/lead import report"] = reply{Text: report}

	// A gone quiet (twice its stage's limit: the manager hears too) and past
	// its close date; everything happened the day before the digest.
	h.sql(`UPDATE deals SET last_activity_at = $2::timestamptz - interval '60 days', expected_close = ($2::timestamptz - interval '3 days')::date
		WHERE workspace_id = $1 AND number = $3`, h.team, base, a)
	h.sql(`UPDATE deals SET created_at = $2::timestamptz - interval '20 hours',
		closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $2::timestamptz - interval '19 hours' END WHERE workspace_id = $1`, h.team, base)
	surfaces["/pipeline"] = h.command("U0MARIA", "/pipeline", "")
	surfaces["/pipeline stale"] = h.command("U0MARIA", "/pipeline", "stale")
	surfaces["/pipeline digest"] = h.command("U0MGR", "/pipeline", "digest")
	surfaces["/pipeline leaderboard"] = h.command("U0MARIA", "/pipeline", "leaderboard")
	surfaces["Home tab"] = reply{Blocks: json.RawMessage(h.homeJSON("U0MARIA"))}

	monday := base
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	for _, run := range []struct {
		job string
		at  time.Time
	}{{pipeline.JobDigest, base.Add(-30 * time.Minute)}, {pipeline.JobMorning, base}, {pipeline.JobFollowUps, base.AddDate(0, 0, 100)}, {pipeline.JobLeaderboard, monday},
		// Two days on, the offers nobody answered lapse: their reps hear the leads moved on.
		{pipeline.JobHandoff, base.AddDate(0, 0, 2)}} {
		if err := h.svc.sched.Run(h.ctx, run.job, h.team, run.at); err != nil {
			t.Fatalf("run %s: %v", run.job, err)
		}
	}

	// Every kind the code can post was posted here, as the outbox holds it:
	// escaped, and showing the escaped markup so none passes by saying nothing.
	// A room opened for a deal whose account is markup, and one Slack
	// refused: the answer, the notices and the card posted in the room.
	// (Deal A has a room already, made above without Slack.)
	roomed := fmt.Sprintf("D-%d", h.createLead("U0MARIA", map[string]string{"Company": evil + " O", "Owner": "U0MARIA"}))
	surfaces["/deal room"] = h.command("U0MARIA", "/deal", "room "+roomed)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "is open for "+roomed+" ·") }); err != nil {
		t.Fatalf("the room of %s did not open: %v", roomed, err)
	}
	h.fake.AddUser(slackfake.User{ID: "U0GONE", Name: "gone", Deleted: true})
	h.command("U0MARIA", "/deal", "room "+roomed+" add <@U0GONE>")
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "<@U0GONE> was not invited") }); err != nil {
		t.Fatalf("no word of a refused invitation: %v", err)
	}
	refused := fmt.Sprintf("D-%d", h.createLead("U0MARIA", map[string]string{"Company": evil + " R", "Owner": "U0MARIA"}))
	h.fake.SetFailure("conversations.create", slackfake.Failure{Times: 1, Error: "restricted_action"})
	h.command("U0MARIA", "/deal", "room "+refused)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "The room for "+refused+" ·") }); err != nil {
		t.Fatalf("no refusal for the room of %s: %v", refused, err)
	}
	var jobs []struct {
		Kind, Channel, Text string
		Blocks              []byte
	}
	rows, err := h.svc.db.QueryxContext(h.ctx, `SELECT args->>'kind', args->>'channel', args->>'text', COALESCE(args->'blocks', 'null')
		FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 ORDER BY id`, h.team)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var j struct {
			Kind, Channel, Text string
			Blocks              []byte
		}
		if err := rows.Scan(&j.Kind, &j.Channel, &j.Text, &j.Blocks); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	kinds := postedKinds(t)
	if len(kinds) < 10 {
		t.Fatalf("found only %d message kinds in the code: %v", len(kinds), kinds)
	}
	for _, kind := range kinds {
		seen, shown := 0, false
		for _, j := range jobs {
			if j.Kind != kind {
				continue
			}
			seen++
			msg := map[string]any{"text": j.Text, "blocks": decoded(j.Blocks)}
			for _, bad := range unescaped(msg, kind) {
				t.Errorf("%s to %s carries raw markup: %s", kind, j.Channel, bad)
			}
			shown = shown || strings.Contains(j.Text+blockText(j.Blocks), "&lt;!channel&gt;")
		}
		switch {
		case seen == 0:
			t.Errorf("%s: the test never made the bot post this kind", kind)
		case !shown:
			t.Errorf("%s: no message of this kind showed the escaped markup", kind)
		}
	}
	// Kinds that carry several messages: each drove here, escaped.
	for _, want := range []struct{ kind, channel, says string }{
		{"alerts", "U0MARIA", "gone quiet"},
		{"alerts", "U0MARIA", "past its expected close date"},
		{"alerts", "U0MGR", "idle for twice its limit"},
		{"followup_reminder", "U0MARIA", "Post-sale check-in"},
		{"followup_reminder", "U0MARIA", "Follow-up due"},
		{"digest", "C0DIGEST", "Daily digest"},
		{"digest", "U0MGR", "Daily digest"},
	} {
		found := false
		for _, j := range jobs {
			all := j.Text + blockText(j.Blocks)
			found = found || j.Kind == want.kind && j.Channel == want.channel && strings.Contains(all, want.says) && strings.Contains(all, "&lt;!channel&gt;")
		}
		if !found {
			t.Errorf("no %s to %s saying %q with the escaped markup", want.kind, want.channel, want.says)
		}
	}
	for _, j := range jobs {
		if !slices.Contains(kinds, j.Kind) {
			t.Errorf("kind %q was posted but not found in the code", j.Kind)
		}
		// Delivered to Slack as queued (checked below with everything else).
		if _, err := h.fake.WaitCall(h.ctx, "chat.postMessage", func(c slackfake.Call) bool { return c.Param("text") == j.Text }); err != nil {
			t.Errorf("%s to %s never delivered: %v", j.Kind, j.Channel, err)
		}
	}

	for name, rep := range surfaces {
		for _, bad := range unescaped(map[string]any{"text": rep.Text, "blocks": decoded(rep.Blocks)}, name) {
			t.Errorf("%s: raw markup: %s", name, bad)
		}
		if !strings.Contains(rep.all(), "&lt;!channel&gt;") {
			t.Errorf("%s does not show the escaped markup: %s", name, rep.all())
		}
	}
	if s := surfaces["lead created DM"].all(); !strings.Contains(s, evilEscaped) || !strings.Contains(s, "a|b&amp;c@evil.example") {
		t.Errorf("the confirmation does not show the company and the address as typed: %s", s)
	}

	// Last, everything Slack received at all: every Web API call, every
	// response_url post and every ack.
	h.svc.bot.WaitHandlers()
	for _, c := range h.fake.Calls("") {
		if c.Method == "file_upload" {
			continue // file bytes: a PNG chart or a CSV, not rendered as mrkdwn
		}
		var v any = map[string]any{}
		if c.JSON != nil {
			v = c.JSON
		} else if c.Method == "response_url" {
			v = decoded(c.Body)
		} else {
			params := map[string]any{}
			for k, p := range c.Params {
				params[k] = p
			}
			v = params
		}
		for _, bad := range unescaped(v, c.Method) {
			t.Errorf("Slack received raw markup: %s", bad)
		}
	}
	for _, a := range h.fake.Acks() {
		for _, bad := range unescaped(decoded(a.Payload), "ack "+a.EnvelopeID) {
			t.Errorf("Slack received raw markup: %s", bad)
		}
	}
}

// homeJSON is the blocks of the Home tab user sees after opening it.
func (h *harness) homeJSON(user string) []byte {
	h.t.Helper()
	h.home(user)
	v, _ := h.fake.HomeView(user)
	var body struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	json.Unmarshal(v.JSON, &body)
	return body.Blocks
}

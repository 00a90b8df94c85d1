package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// home opens user's App Home tab and returns what it shows.
func (h *harness) home(user string) string {
	h.t.Helper()
	id, err := h.fake.SendEvent(h.ctx, h.team, map[string]any{"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home", "event_ts": "1"})
	if err != nil {
		h.t.Fatal(err)
	}
	h.ack(id)
	h.svc.bot.WaitHandlers()
	return h.homeNow(user)
}

// homeNow is the Home tab last published for user, without opening it.
func (h *harness) homeNow(user string) string {
	h.t.Helper()
	h.svc.bot.WaitHandlers()
	h.svc.app.WaitHome()
	v, ok := h.fake.HomeView(user)
	if !ok {
		h.t.Fatalf("no Home tab published for %s", user)
	}
	var body struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	json.Unmarshal(v.JSON, &body)
	return blockText(body.Blocks)
}

func TestAppHomeOnOpenAndAfterChanges(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	h := setupAt(t, now)
	if got := h.home("U0NEW"); !strings.Contains(got, "None yet") || !strings.Contains(got, "New lead") {
		t.Fatalf("a new person's Home = %s", got)
	}
	// Ann has her Home tab open; a new lead then reaches it without her
	// opening it again. (Tabs of people who never opened them are built when
	// first opened, not after every change.)
	h.home("U0ANN")
	n := h.newDeal("U0ANN", map[string]string{"Company": "Homestead Ltd", "Estimated value": "12,000", "Owner": "U0ANN"})
	h.svc.bot.WaitHandlers()
	// The new lead reached the Home tab without anyone opening it.
	if got := h.homeNow("U0ANN"); !strings.Contains(got, fmt.Sprintf("D-%d", n)) || !strings.Contains(got, "Homestead Ltd") || !strings.Contains(got, "$12,000") {
		t.Fatalf("Home after the new lead = %s", got)
	}
	h.command("U0ANN", "/deal", fmt.Sprintf("move D-%d proposal", n))
	h.svc.bot.WaitHandlers()
	if got := h.homeNow("U0ANN"); !strings.Contains(got, "Proposal") {
		t.Fatalf("Home after the move does not show the Proposal stage: %s", got)
	}

	// An overdue follow-up and a deal idle for a month show up when the tab opens.
	h.sql(`INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at, note)
		SELECT workspace_id, id, owner_id, $3, 'call back about pricing' FROM deals WHERE workspace_id = $1 AND number = $2`, h.team, n, now.Add(-time.Hour))
	h.sql(`UPDATE deals SET last_activity_at = $3 WHERE workspace_id = $1 AND number = $2`, h.team, n, now.AddDate(0, 0, -30))
	got := h.home("U0ANN")
	for _, want := range []string{"Follow-ups due* (1)", "overdue since", "call back about pricing", "Stale deals* (1)", "no activity for 30 days"} {
		if !strings.Contains(got, want) {
			t.Errorf("Home lacks %q: %s", want, got)
		}
	}

	// A manager sees the team.
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0ANN>")
	got = h.home("U0MGR")
	if !strings.Contains(got, "Your team* (1)") || !strings.Contains(got, "<@U0ANN> · 1 open · $12,000 · 1 stale") {
		t.Fatalf("manager's Home = %s", got)
	}
	// A change to Ann's deal republishes her manager's Home too.
	h.command("U0ANN", "/deal", fmt.Sprintf("won D-%d 15000", n))
	h.svc.bot.WaitHandlers()
	if got := h.homeNow("U0MGR"); !strings.Contains(got, "<@U0ANN> · 0 open") {
		t.Fatalf("manager's Home after the win = %s", got)
	}
}

func TestNewLeadFromShortcutAndHomeButton(t *testing.T) {
	h := setup(t)
	trigger := h.fake.NewTriggerID()
	id, err := h.fake.SendInteraction(h.ctx, map[string]any{
		"type": "shortcut", "callback_id": "new_lead", "trigger_id": trigger, "action_ts": "1",
		"team": map[string]any{"id": h.team}, "user": map[string]any{"id": "U0ANN", "team_id": h.team},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id)
	if v := h.modalFor(trigger); v.CallbackID != "lead_new" || v.Title.Text != "New lead" {
		t.Fatalf("the shortcut opened %q (%q), want the New lead modal", v.CallbackID, v.Title.Text)
	}

	h.home("U0ANN")
	trigger = h.fake.NewTriggerID()
	id, err = h.fake.SendInteraction(h.ctx, map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": h.team},
		"user": map[string]any{"id": "U0ANN", "team_id": h.team}, "container": map[string]any{"type": "view"},
		"actions": []map[string]any{{"type": "button", "action_id": "home_new_lead", "block_id": "home_actions", "value": "new"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id)
	view := h.modalFor(trigger)
	if view.CallbackID != "lead_new" {
		t.Fatalf("the Home button opened %q, want the New lead modal", view.CallbackID)
	}
	h.submit("U0ANN", view, map[string]string{"Company": "Buttoned Up", "Owner": "U0ANN"})
	h.svc.bot.WaitHandlers()
	if h.count(`SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id WHERE d.workspace_id = $1 AND a.name = 'Buttoned Up'`, h.team) != 1 {
		t.Fatal("the lead from the Home button was not stored")
	}
}

// importCSV pastes file into the /lead import modal as user and returns the
// report DMed back.
func (h *harness) importCSV(user, file string) (slackfake.Ack, string) {
	h.t.Helper()
	_, trigger := h.slash(user, "/lead", "import")
	ack, _ := h.submit(user, h.modalFor(trigger), map[string]string{"CSV rows": file})
	h.svc.bot.WaitHandlers()
	msgs := h.fake.Messages("D" + user)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.Contains(msgs[i].Text, "Import finished") {
			return ack, msgs[i].Text
		}
	}
	return ack, ""
}

func TestImportFromSlack(t *testing.T) {
	h := setup(t)
	h.newDeal("U0ANN", map[string]string{"Company": "Existing Co", "Contact email": "eve@existing.example", "Owner": "U0ANN"})

	// A bad header is an inline error, and nothing is imported.
	ack, _ := h.importCSV("U0ANN", "company,budget\nAcme,1")
	if !strings.Contains(string(ack.Payload), `"budget`) || !strings.Contains(string(ack.Payload), `"response_action":"errors"`) {
		t.Fatalf("bad header ack = %s", ack.Payload)
	}

	file := strings.Join([]string{
		"Company,Contact Email,estimated value,Source,owner",
		"Acme,ann@acme.example,12.5k,Cold call,U0ANN", // line 2: imported
		"Globex,,not money,,U0ANN",                    // line 3: bad value
		"ACME,Ann@Acme.example,99,,U0ANN",             // line 4: same as line 2
		"existing co,EVE@existing.example,,,U0ANN",    // line 5: already in the workspace
		"Initech,bob@initech.example,,inbound,U0BOB",  // line 6: imported, offered to Bob
		"Umbrella,not-an-email,,,U0ANN",               // line 7: bad email
		"Hooli,,,,",                                   // line 8: imported, routed
	}, "\n")
	_, report := h.importCSV("U0ANN", file)
	for _, want := range []string{"3 imported, 2 duplicates skipped, 2 rejected", "line 3 (Globex): value:", "line 7 (Umbrella): contact email:",
		"line 4 (ACME): same company and contact email as line 2", "line 5 (existing co): D-1 has the same company"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	deals := func() int { return h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team) }
	if n := deals(); n != 4 {
		t.Fatalf("%d deals after the import, want 4", n)
	}
	if n := h.count(`SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND a.name = 'Initech' AND d.owner_id = 'U0BOB' AND d.handoff_state = 'pending'`, h.team); n != 1 {
		t.Fatal("Initech should be offered to U0BOB")
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND amount_minor = 1250000 AND source = 'cold call'`, h.team); n != 1 {
		t.Fatal("Acme's value and source were not imported")
	}
	if n := h.count(`SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND a.name = 'Hooli' AND d.owner_id <> ''`, h.team); n != 1 {
		t.Fatal("Hooli, without an owner, should have been routed to someone")
	}

	// The same file again creates nothing.
	_, report = h.importCSV("U0ANN", file)
	if !strings.Contains(report, "0 imported, 5 duplicates skipped, 2 rejected") || deals() != 4 {
		t.Fatalf("re-import: %d deals, report:\n%s", deals(), report)
	}
}

// runCLI runs a salesbot subcommand against the harness's database and fake Slack.
func (h *harness) runCLI(args ...string) string {
	h.t.Helper()
	env := map[string]string{"DATABASE_URL": pgtest.URL(h.t), "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test",
		"SLACK_API_URL": h.fake.APIURL(), "LOG_LEVEL": "error"}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut); code != 0 {
		h.t.Fatalf("salesbot %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

func TestExportRoundTripsThroughImport(t *testing.T) {
	h := setup(t)
	h.newDeal("U0ANN", map[string]string{"Company": "Acme, Inc.", "Deal title": "Rollout \"phase 2\"", "Contact name": "Ann Lee",
		"Contact email": "ann@acme.example", "Industry": "Software", "Company size": "51-200", "Source": "referral",
		"Estimated value": "12,500.50", "Expected close date": "2027-03-31", "Owner": "U0ANN"})
	h.newDeal("U0ADMIN", map[string]string{"Company": "Globex", "Owner": "U0ADMIN"})

	r := h.command("U0ADMIN", "/pipeline", "export")
	if !strings.Contains(r.all(), "2 deals exported") {
		t.Fatalf("/pipeline export answered %s", r.all())
	}
	files := h.fake.Files()
	if len(files) == 0 || !files[len(files)-1].Completed || files[len(files)-1].Channel != "DU0ADMIN" {
		t.Fatalf("no CSV shared in the DM: %+v", files)
	}
	exported := files[len(files)-1].Data
	// A rep exports only their own deals.
	if r := h.command("U0ANN", "/pipeline", "export"); !strings.Contains(r.all(), "1 deal exported") {
		t.Fatalf("a rep's export answered %s", r.all())
	}
	if r := h.command("U0ANN", "/pipeline", "export all"); !strings.Contains(r.all(), "only") && !strings.Contains(r.all(), "admin") {
		t.Fatalf("a rep's export of all deals answered %s", r.all())
	}

	// Import the file into a fresh workspace with the CLI, then export that.
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
	os.WriteFile(in, exported, 0o600)
	fresh := pgtest.TeamID()
	if report := h.runCLI("import", "--team", fresh, "--file", in, "--as", "U0ADMIN"); !strings.Contains(report, "2 imported, 0 duplicates skipped, 0 rejected") {
		t.Fatalf("import report: %s", report)
	}
	h.runCLI("export", "--team", fresh, "--file", out)
	again, _ := os.ReadFile(out)
	if a, b := withoutColumn(t, exported, "created"), withoutColumn(t, again, "created"); !slices.EqualFunc(a, b, slices.Equal) {
		t.Fatalf("round trip changed the deals:\n%q\n%q", a, b)
	}
	// Importing it again creates nothing.
	if report := h.runCLI("import", "--team", fresh, "--file", in, "--as", "U0ADMIN"); !strings.Contains(report, "0 imported, 2 duplicates skipped") {
		t.Fatalf("second import report: %s", report)
	}
}

func withoutColumn(t *testing.T, data []byte, col string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read CSV: %v %q", err, data)
	}
	i := slices.Index(rows[0], col)
	for k, r := range rows {
		rows[k] = slices.Delete(r, i, i+1)
	}
	return rows
}

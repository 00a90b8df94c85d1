package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// `salesbot import` has no Slack to ask, with a bot token or without: rows
// without an owner are still routed to a rep, every rep taken as active,
// and no Web API call is made.
func TestImportWithoutBotTokenRoutesWithoutAskingSlack(t *testing.T) {
	h := setup(t)
	h.fake.AddUser(slackfake.User{ID: "U0R1", Name: "r1", Deleted: true})
	for _, rep := range []string{"U0R1", "U0R2"} {
		h.command(rep, "/salesbot", "away off")
	}
	h.command("U0ADMIN", "/salesbot", "away on")
	asked := len(h.fake.Calls("users.info"))

	in := filepath.Join(t.TempDir(), "leads.csv")
	if err := os.WriteFile(in, []byte("company,contact email\nOffline Co,ann@offline.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "SLACK_API_URL": h.fake.APIURL(), "LOG_LEVEL": "error"}
	var out, errOut bytes.Buffer
	args := []string{"import", "--team", h.team, "--file", in, "--as", "U0ADMIN"}
	if code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut); code != 0 {
		t.Fatalf("salesbot import: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "1 imported") {
		t.Fatalf("import report: %s", out.String())
	}
	if n := len(h.fake.Calls("users.info")); n != asked {
		t.Errorf("import without a bot token made %d users.info calls", n-asked)
	}
	if c := h.count(`SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND a.name = 'Offline Co' AND d.owner_id IN ('U0R1', 'U0R2')`, h.team); c != 1 {
		t.Errorf("%d deals of Offline Co owned by a rep, want 1", c)
	}
	if c := h.count(`SELECT count(*) FROM users WHERE workspace_id = $1 AND deactivated`, h.team); c != 0 {
		t.Errorf("%d users marked deactivated without Slack being asked", c)
	}

	// With a bot token it asks Slack nothing either: the import builds no
	// Slack client, and the running bot delivers what it queued.
	if err := os.WriteFile(in, []byte("company,contact email\nToken Co,bo@token.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["SLACK_BOT_TOKEN"] = "xoxb-import-test"
	out.Reset()
	if code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut); code != 0 {
		t.Fatalf("salesbot import with a bot token: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "1 imported") {
		t.Fatalf("import report: %s", out.String())
	}
	if n := len(h.fake.Calls("users.info")); n != asked {
		t.Errorf("import with a bot token made %d users.info calls", n-asked)
	}
	if c := h.count(`SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND a.name = 'Token Co' AND d.owner_id IN ('U0R1', 'U0R2')`, h.team); c != 1 {
		t.Errorf("%d deals of Token Co owned by a rep, want 1", c)
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"salesbot/internal/pgtest"
)

// `salesbot demo-data` fills a workspace the bot has seen people in, adds to
// one that already has deals, and with --reset empties it first.
func TestDemoDataAddsAndResets(t *testing.T) {
	h := setup(t)
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0ANN>")
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "SLACK_API_URL": h.fake.APIURL(), "LOG_LEVEL": "error"}
	demo := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		if len(args) == 0 || args[0] != "--team" {
			args = append([]string{"--team", h.team}, args...)
		}
		code := run(context.Background(), append([]string{"demo-data"}, args...), func(k string) string { return env[k] }, &out, &errOut)
		return code, out.String() + errOut.String()
	}

	code, out := demo()
	if code != 0 || !strings.Contains(out, "Demo data added to workspace "+h.team) {
		t.Fatalf("demo-data: exit %d: %s", code, out)
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND owner_id IN ('U0ADMIN', 'U0MGR', 'U0ANN')`, h.team); c == 0 {
		t.Error("no demo deals owned by the workspace's people")
	}
	once := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team)
	if code, out := demo(); code != 0 || !strings.Contains(out, "Demo data added to workspace "+h.team) {
		t.Errorf("demo-data on a workspace with deals: exit %d: %s", code, out)
	}
	if twice := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); twice != 2*once {
		t.Errorf("deals %d → %d after a second run, want %d", once, twice, 2*once)
	}
	if code, out := demo("--reset"); code != 0 || !strings.Contains(out, "emptied workspace "+h.team) {
		t.Errorf("demo-data --reset: exit %d: %s", code, out)
	}
	if after := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); after != once {
		t.Errorf("deals after --reset = %d, want the %d of one run", after, once)
	}

	// A workspace salesbot has never seen is refused, and nothing is written.
	if code, out := demo("--team", "T0NEVERSEEN"); code == 0 || !strings.Contains(out, "has not seen anyone") {
		t.Errorf("demo-data for an unknown workspace: exit %d: %s", code, out)
	}
	if n := h.count(`SELECT count(*) FROM workspaces WHERE id = 'T0NEVERSEEN'`); n != 0 {
		t.Errorf("the refused run created the workspace")
	}
}

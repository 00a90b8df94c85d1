package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"salesbot/internal/pgtest"
)

// `salesbot demo-data` fills a workspace the bot has seen people in, and
// refuses one that already has deals.
func TestDemoDataFillsAnEmptyWorkspaceOnce(t *testing.T) {
	h := setup(t)
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0ANN>")
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "SLACK_API_URL": h.fake.APIURL(), "LOG_LEVEL": "error"}
	demo := func() (int, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"demo-data", "--team", h.team}, func(k string) string { return env[k] }, &out, &errOut)
		return code, out.String() + errOut.String()
	}

	code, out := demo()
	if code != 0 || !strings.Contains(out, "Demo data added to workspace "+h.team) {
		t.Fatalf("demo-data: exit %d: %s", code, out)
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND owner_id IN ('U0ADMIN', 'U0MGR', 'U0ANN')`, h.team); c == 0 {
		t.Error("no demo deals owned by the workspace's people")
	}
	before := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team)
	if code, out := demo(); code == 0 || !strings.Contains(out, "already has deals") {
		t.Errorf("demo-data on a workspace with deals: exit %d: %s", code, out)
	}
	if after := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); after != before {
		t.Errorf("deals %d → %d after the refused run, want unchanged", before, after)
	}
}

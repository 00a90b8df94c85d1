package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"salesbot/internal/pgtest"
)

func runWith(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunWithoutTokensPreparesTheDatabaseThenExits2(t *testing.T) {
	db := pgtest.New(t)
	code, _, stderr := runWith(t, map[string]string{"DATABASE_URL": pgtest.URL(t), "SLACK_APP_TOKEN": "xapp-1"}, "run")
	if code != 2 {
		t.Fatalf("exit code = %d, want 2; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "SLACK_BOT_TOKEN") || !strings.Contains(stderr, `"Create the Slack app"`) {
		t.Errorf("stderr does not name the variable and the README section:\n%s", stderr)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM goose_db_version`); err != nil || n == 0 {
		t.Errorf("migrations were not applied before exiting: %d, %v", n, err)
	}
}

func TestMalformedConfigExits2BeforeConnecting(t *testing.T) {
	// The database URL points nowhere: reaching for it would fail differently.
	code, _, stderr := runWith(t, map[string]string{
		"SLACK_BOT_TOKEN": "xoxp-very-secret", "SLACK_APP_TOKEN": "xapp-1",
		"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
	}, "run")
	if code != 2 {
		t.Fatalf("exit code = %d, want 2; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "SLACK_BOT_TOKEN must start with xoxb-") {
		t.Errorf("stderr = %s", stderr)
	}
	if strings.Contains(stderr, "very-secret") {
		t.Errorf("the token leaked into the error: %s", stderr)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := runWith(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "salesbot ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, stderr := runWith(t, nil, "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown subcommand: %d %q", code, stderr)
	}
}

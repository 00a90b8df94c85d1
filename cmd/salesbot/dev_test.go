package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/config"
	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/outbox"
	"salesbot/simulator"
)

// `salesbot dev` does not start on a DATABASE_URL (a production .env, say)
// unless told it may.
func TestDevRefusesADatabaseURLUnlessToldOtherwise(t *testing.T) {
	url := pgtest.URL(t)
	for _, shared := range []string{"", "false", "0"} {
		env := map[string]string{"DATABASE_URL": url, "SIM_ADDR": "127.0.0.1:0", "HTTP_ADDR": "127.0.0.1:0",
			sharedDBVar: shared}
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		var out, errOut bytes.Buffer
		code := run(ctx, []string{"dev"}, func(k string) string { return env[k] }, &out, &errOut)
		cancel()
		if code != 2 {
			t.Fatalf("%s=%q: exit code %d, want 2; stdout:\n%s\nstderr:\n%s", sharedDBVar, shared, code, &out, &errOut)
		}
		if msg := errOut.String(); !strings.Contains(msg, "DATABASE_URL is set") || !strings.Contains(msg, sharedDBVar+"=true") {
			t.Errorf("%s=%q: the message does not name DATABASE_URL and the way out: %s", sharedDBVar, shared, msg)
		}
		if strings.Contains(out.String(), "simulator") {
			t.Errorf("%s=%q: the simulator started: %s", sharedDBVar, shared, &out)
		}
	}

	env := map[string]string{"DATABASE_URL": url, sharedDBVar: "maybe"}
	if code, _, stderr := runWith(t, env, "dev"); code != 2 || !strings.Contains(stderr, sharedDBVar+" must be true or false") {
		t.Errorf("%s=maybe: exit %d, %s", sharedDBVar, code, stderr)
	}
	getenv := func(k string) string { return map[string]string{sharedDBVar: "true"}[k] }
	if err := checkDevDatabase(config.Config{DatabaseURL: url}, getenv); err != nil {
		t.Errorf("%s=true: %v", sharedDBVar, err)
	}
	if err := checkDevDatabase(config.Config{}, func(string) string { return "" }); err != nil {
		t.Errorf("the private database: %v", err)
	}
}

// On a database shared with a real workspace, `salesbot dev` delivers the
// simulator's messages and leaves the real workspace's alone: before, its
// River client worked every queue and a real announcement reached the
// simulator.
func TestDevOnASharedDatabaseWorksOnlyTheSimulatorsJobs(t *testing.T) {
	db := pgtest.New(t)
	real := pgtest.TeamID()
	enq, err := outbox.New(outbox.Config{DB: db.DB, Poster: slack.New("xoxb-unused")})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, m := range []outbox.Message{
		{TeamID: real, Channel: "C01SALES", Text: "Real workspace: Acme won", Kind: "won_announcement"},
		{TeamID: simulator.TeamID, Channel: "C01SALES", Text: "Simulator: Globex won", Kind: "won_announcement"},
	} {
		if err := enq.Enqueue(t.Context(), tx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec(`DELETE FROM river_job WHERE args->>'team_id' = $1`, real)
	})

	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "SIM_ADDR": "127.0.0.1:0", "HTTP_ADDR": "127.0.0.1:0"}
	cfg, err := config.Load(func(k string) string { return env[k] }, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dev, err := startDev(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- dev.serve(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		dev.close()
	}()

	// The simulator's message arriving means the dev process has fetched
	// jobs; the real workspace's was waiting just as long.
	if _, err := dev.sim.Fake().WaitMessage(ctx, "C01SALES", func(m slackfake.Message) bool {
		return m.Text == "Simulator: Globex won"
	}); err != nil {
		t.Fatalf("the simulator's own message never arrived: %v", err)
	}
	for _, m := range dev.sim.Fake().Messages("C01SALES") {
		if strings.Contains(m.Text, "Real workspace") {
			t.Errorf("the real workspace's message was delivered to the simulator: %q", m.Text)
		}
	}
	var state string
	if err := db.GetContext(t.Context(), &state, `SELECT state FROM river_job WHERE args->>'team_id' = $1`, real); err != nil {
		t.Fatal(err)
	}
	if state != "available" {
		t.Errorf("the real workspace's job is %s, want available for its own bot", state)
	}
}

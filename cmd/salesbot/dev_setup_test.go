package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesbot/config"
	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/simulator"
)

// startDevOn starts `salesbot dev` on the database at url, stopped when the
// test ends (or earlier by the returned stop).
func startDevOn(t *testing.T, ctx context.Context, url string) (*devService, func()) {
	t.Helper()
	env := map[string]string{"DATABASE_URL": url, "SIM_ADDR": "127.0.0.1:0", "HTTP_ADDR": "127.0.0.1:0"}
	cfg, err := config.Load(func(k string) string { return env[k] }, false)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dev, err := startDev(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			dev.close()
		}
	}
	t.Cleanup(stop)
	return dev, stop
}

// On its first start the simulator's workspace has its roles, team and
// channels, set through the use cases; a later start keeps what an admin
// changed since.
func TestDevSetsUpTheSimulatorOnItsFirstStartOnly(t *testing.T) {
	url := pgtest.Fresh(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	dev, stop := startDevOn(t, ctx, url)
	svc := dev.svc.sales
	const team = simulator.TeamID
	role := func(id string) string {
		var r string
		if err := dev.svc.db.GetContext(ctx, &r, `SELECT role FROM users WHERE workspace_id = $1 AND id = $2`, team, id); err != nil {
			t.Fatalf("role of %s: %v", id, err)
		}
		return r
	}
	if r := role("U01ALEX"); r != pipeline.RoleAdmin {
		t.Errorf("Alex is %q, want admin", r)
	}
	if r := role("U02MARIA"); r != pipeline.RoleManager {
		t.Errorf("Maria is %q, want manager", r)
	}
	var managers []string
	if err := dev.svc.db.SelectContext(ctx, &managers, `SELECT COALESCE(manager_id, '') FROM users
		WHERE workspace_id = $1 AND id IN ('U03SAM', 'U04PRIYA') ORDER BY id`, team); err != nil {
		t.Fatal(err)
	}
	if strings.Join(managers, ",") != "U02MARIA,U02MARIA" {
		t.Errorf("managers of Sam and Priya = %v, want Maria", managers)
	}
	st, err := svc.Settings(ctx, team)
	if err != nil {
		t.Fatal(err)
	}
	if st.CelebrationChannel != "C02WINS" || st.DigestChannel != "C03PIPELINE" || st.AlertsChannel != "C01SALES" {
		t.Errorf("channels: celebration %q, digest %q, alerts %q; want #wins, #pipeline, #sales",
			st.CelebrationChannel, st.DigestChannel, st.AlertsChannel)
	}
	for _, ch := range dev.sim.Fake().Channels() {
		if !strings.Contains(strings.Join(ch.Members, ","), slackfake.BotUserID) {
			t.Errorf("the bot is not in #%s", ch.Name)
		}
	}

	// Alex takes the celebration channel off and makes Maria a rep.
	alex, _, err := svc.Actor(ctx, team, "U01ALEX")
	if err != nil {
		t.Fatal(err)
	}
	st.CelebrationChannel = ""
	if err := svc.SaveSettings(ctx, sales.SaveSettings{Team: team, Actor: alex, Settings: st, IdempotencyKey: "test-settings"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetRole(ctx, sales.SetRole{Team: team, Actor: alex, User: "U02MARIA", Role: pipeline.RoleRep, IdempotencyKey: "test-role"}); err != nil {
		t.Fatal(err)
	}
	stop()

	dev, _ = startDevOn(t, ctx, url)
	if r := role("U02MARIA"); r != pipeline.RoleRep {
		t.Errorf("after a restart Maria is %q again, want the rep Alex made her", r)
	}
	if st, err := dev.svc.sales.Settings(ctx, team); err != nil || st.CelebrationChannel != "" {
		t.Errorf("after a restart the celebration channel is %q (%v), want still unset", st.CelebrationChannel, err)
	}
}

// The page's Add demo data button fills the workspace and says so; a second
// click adds more.
func TestDevSimulatorPageAddsDemoData(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	dev, _ := startDevOn(t, ctx, pgtest.Fresh(t))
	deals := func() int {
		var n int
		if err := dev.svc.db.GetContext(ctx, &n, `SELECT count(*) FROM deals WHERE workspace_id = $1`, simulator.TeamID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	click := func() {
		resp, err := http.Post(dev.sim.URL()+"sim/demo-data", "application/json",
			strings.NewReader(`{"user":"U02MARIA","channel":"C01SALES"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST /sim/demo-data: %s", resp.Status)
		}
	}
	click()
	once := deals()
	if once == 0 {
		t.Fatal("no deals after Add demo data")
	}
	var told []string
	for _, m := range dev.sim.Fake().Messages("C01SALES") {
		if m.Ephemeral && m.User == "U02MARIA" {
			told = append(told, m.Text)
		}
	}
	if len(told) != 1 || !strings.HasPrefix(told[0], "Demo data added to workspace "+simulator.TeamID) {
		t.Errorf("Maria was told %q", told)
	}
	click()
	if twice := deals(); twice != 2*once {
		t.Errorf("deals after a second click = %d, want %d", twice, 2*once)
	}
}

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"salesbot/config"
	"salesbot/pipeline"
	"salesbot/sales/salesdb"
	"salesbot/simulator"
	"salesbot/store"
)

// cmdDemoData is `salesbot demo-data [--team T] [--reset]`: a believable
// pipeline added to a workspace, by default the simulator's; --reset empties
// the workspace's pipeline first.
func cmdDemoData(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo-data", flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.String("team", simulator.TeamID, "Slack team (workspace) ID to fill")
	reset := fs.Bool("reset", false, "delete the workspace's deals, accounts, notes and follow-ups first")
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return &exitError{2, err}
	}
	log := newLogger(stderr, cfg.LogLevel)
	st, done, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer done()
	svc := salesdb.New(salesdb.Deps{Store: st, Log: log, Defaults: pipeline.Settings{Currency: "USD", Timezone: cfg.Location.String()}})
	people := simulatorPeople()
	if *team != simulator.TeamID {
		if people, err = svc.DemoPeople(ctx, *team); err != nil {
			return err
		}
		if len(people) == 0 {
			return fmt.Errorf("salesbot has not seen anyone in workspace %s yet: use the bot there once, then try again", *team)
		}
	}
	return seedDemo(ctx, svc, *team, people, *reset, stdout)
}

func seedDemo(ctx context.Context, svc *salesdb.Service, team string, people []store.DemoPerson, reset bool, stdout io.Writer) error {
	sum, err := svc.SeedDemo(ctx, team, people, reset)
	if err != nil {
		return fmt.Errorf("no demo data was added to workspace %s: %w", team, err)
	}
	fmt.Fprintln(stdout, demoSummary(team, sum, reset))
	return nil
}

// demoSummary says what a demo-data run wrote.
func demoSummary(team string, sum store.DemoSummary, reset bool) string {
	what := "added to"
	if reset {
		what = "put in the emptied"
	}
	return fmt.Sprintf("Demo data %s workspace %s: %d accounts, %d deals (%d open, %d won, %d lost), %d activities, %d follow-ups.",
		what, team, sum.Accounts, sum.Deals, sum.Open, sum.Won, sum.Lost, sum.Activities, sum.FollowUps)
}

func simulatorPeople() []store.DemoPerson {
	var out []store.DemoPerson
	for _, p := range simulator.People() {
		out = append(out, store.DemoPerson{ID: p.ID, Name: p.Name, Role: p.Role, Timezone: p.TZ, ManagerID: p.Manager})
	}
	return out
}

// offerDemoData asks, on the first start of `salesbot dev` in a terminal,
// whether to fill the simulator's empty workspace with demo data. The answer
// is remembered in the data folder, so it is asked once.
func offerDemoData(ctx context.Context, svc *salesdb.Service, cfg config.Config, stdin io.Reader, stdout io.Writer, log *slog.Logger) {
	marker := filepath.Join(cfg.DataDir, "demo-data-offered")
	if !isTerminal(stdin) {
		return
	}
	if _, err := os.Stat(marker); err == nil {
		return
	}
	if has, err := svc.HasDeals(ctx, simulator.TeamID); err != nil || has {
		return
	}
	fmt.Fprint(stdout, "\nThe simulator's workspace has no deals yet. Fill it with a demo pipeline\n(accounts, deals in every stage, notes, follow-ups)? [Y/n] ")
	answer := make(chan string, 1)
	// The read cannot be cancelled; on Ctrl-C the process exits anyway.
	go func() {
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		answer <- strings.ToLower(strings.TrimSpace(line))
	}()
	var a string
	select {
	case a = <-answer:
	case <-ctx.Done():
		return
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err == nil {
		_ = os.WriteFile(marker, []byte("asked\n"), 0o644)
	}
	if a != "" && a != "y" && a != "yes" {
		fmt.Fprintln(stdout, "No demo data. Add it any time with: salesbot demo-data")
		return
	}
	if err := seedDemo(ctx, svc, simulator.TeamID, simulatorPeople(), false, stdout); err != nil {
		log.Error("demo data", "error", err)
	}
}

// isTerminal reports whether r is a terminal someone can answer on: a
// character device other than /dev/null (which CI and `< /dev/null` give).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
}

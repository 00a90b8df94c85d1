package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"salesbot/config"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
	"salesbot/sales/salesdb"
	"salesbot/store"
)

// cmdDigest is `salesbot digest --print --team T [--day YYYY-MM-DD]
// [--manager U]`: the daily digest rendered to the terminal, as the digest
// job would post it.
func cmdDigest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	printIt := fs.Bool("print", false, "render the digest to the terminal")
	team := fs.String("team", "", "Slack team (workspace) ID")
	dayFlag := fs.String("day", "", "the digest's date, YYYY-MM-DD in the workspace timezone (default: today)")
	manager := fs.String("manager", "", "Slack user ID of a manager: their team's digest (default: the whole workspace)")
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	switch {
	case !*printIt:
		return &exitError{2, errors.New("digest: only --print is supported: salesbot digest --print --team T [--day YYYY-MM-DD]")}
	case *team == "":
		return &exitError{2, errors.New("digest: --team is required (the Slack team ID, such as T0123ABCD)")}
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
	settings, err := st.Settings(ctx, st.DB(), *team)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("digest: salesbot has not seen workspace %s yet", *team)
	}
	if err != nil {
		return err
	}
	day := time.Now()
	if *dayFlag != "" {
		if day, err = time.ParseInLocation(time.DateOnly, *dayFlag, pipeline.Zone(settings.Timezone)); err != nil {
			return &exitError{2, fmt.Errorf("digest: --day %q is not a date: use YYYY-MM-DD", *dayFlag)}
		}
	}
	svc := salesdb.New(salesdb.Deps{Store: st, Log: log, Now: time.Now,
		Defaults: pipeline.Settings{Currency: "USD", Timezone: cfg.Location.String()}})
	d, err := svc.Digest(ctx, sales.DigestRequest{Team: *team, Day: day, Manager: *manager})
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(stdout, render.DigestTerminalText(d))
	return err
}

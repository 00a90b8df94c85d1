package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"salesbot"
	"salesbot/config"
	"salesbot/simulator"
)

// The simulator checks a token's kind (xoxb-, xapp-) as Slack does, and
// nothing else: fixed tokens keep `salesbot dev` free of set-up.
const (
	devBotToken = "xoxb-simulator"
	devAppToken = "xapp-simulator"
)

// devService is `salesbot dev`: the local Slack simulator, and the bot wired
// to it through SLACK_API_URL exactly as `salesbot run` wires it to Slack.
type devService struct {
	sim *simulator.Server
	svc *service
}

// startDev starts the simulator on cfg.SimAddr, then the bot against it.
func startDev(ctx context.Context, cfg config.Config, log *slog.Logger) (*devService, error) {
	sim, err := simulator.Start(simulator.Options{Addr: cfg.SimAddr, Manifest: salesbot.Manifest, Log: log})
	if err != nil {
		return nil, &exitError{2, fmt.Errorf("%w (set SIM_ADDR to another host:port)", err)}
	}
	cfg.BotToken, cfg.AppToken, cfg.APIURL = devBotToken, devAppToken, sim.APIURL()
	cfg.Admins = append(cfg.Admins, simulator.Admins()...)
	svc, err := startService(ctx, cfg, log)
	if err != nil {
		sim.Close()
		return nil, err
	}
	return &devService{sim: sim, svc: svc}, nil
}

// serve runs the bot until ctx ends; close then stops the simulator and the
// database.
func (d *devService) serve(ctx context.Context) error { return d.svc.serve(ctx) }

func (d *devService) close() {
	d.sim.Close()
	d.svc.close()
}

func cmdDev(ctx context.Context, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return &exitError{2, err}
	}
	log := newLogger(stderr, cfg.LogLevel)
	d, err := startDev(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	offerDemoData(ctx, d.svc.store, cfg, stdin, stdout, log)
	fmt.Fprintf(stdout, devBanner, d.sim.URL())
	return d.serve(ctx)
}

const devBanner = `
salesbot is running against the local Slack simulator:

    %s

Open it in a browser, pick who you are and type /lead new Acme.

To use a real Slack workspace instead, create the app from manifest.yml (see
"Create the Slack app" in the README), put SLACK_BOT_TOKEN and SLACK_APP_TOKEN
in .env and run make run again. Ctrl-C stops.

`

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"

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
func startDev(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...serviceOption) (*devService, error) {
	sim, err := simulator.Start(simulator.Options{Addr: cfg.SimAddr, Manifest: salesbot.Manifest, Log: log})
	if err != nil {
		return nil, &exitError{2, fmt.Errorf("%w (set SIM_ADDR to another host:port)", err)}
	}
	cfg.BotToken, cfg.AppToken, cfg.APIURL = devBotToken, devAppToken, sim.APIURL()
	cfg.Admins = append(cfg.Admins, simulator.Admins()...)
	if cfg.APIAddr == "" {
		cfg.APIAddr = devAPIAddr(cfg.SimAddr)
	}
	svc, err := startService(ctx, cfg, log, opts...)
	if err != nil {
		sim.Close()
		return nil, err
	}
	d := &devService{sim: sim, svc: svc}
	// The simulator keeps its messages beside the workspace's data, and
	// sets the workspace up on its first start, before the bot connects.
	if err := sim.Attach(ctx, svc.db.DB); err != nil {
		d.close()
		return nil, err
	}
	if err := sim.SetUpOnce(ctx, func(ctx context.Context) error { return setUpSimulator(ctx, svc.sales) }); err != nil {
		d.close()
		return nil, err
	}
	if addr := svc.apiAddr(); addr != "" {
		if err := offerDevKeys(ctx, svc.sales, sim, apiBaseURL(addr)); err != nil {
			d.close()
			return nil, err
		}
	}
	sim.OfferDemoData(func(ctx context.Context) (string, error) {
		sum, err := svc.sales.SeedDemo(ctx, simulator.TeamID, simulatorPeople(), false)
		if err != nil {
			return "", err
		}
		return demoSummary(simulator.TeamID, sum, false), nil
	})
	return d, nil
}

// devAPIPort is the API's port under `salesbot dev` when API_ADDR is unset.
const devAPIPort = "8090"

// devAPIAddr is where dev's API listens by default: beside the simulator, on
// devAPIPort, or on a port of its own choosing when the simulator's is too
// (as in tests that run many at once).
func devAPIAddr(simAddr string) string {
	host, port, err := net.SplitHostPort(simAddr)
	if err != nil { // config checked it already
		return net.JoinHostPort("127.0.0.1", devAPIPort)
	}
	if port != "0" {
		port = devAPIPort
	}
	return net.JoinHostPort(host, port)
}

// serve runs the bot until ctx ends; close then stops the simulator and the
// database.
func (d *devService) serve(ctx context.Context) error { return d.svc.serve(ctx) }

func (d *devService) close() {
	d.sim.Close()
	d.svc.close()
}

// sharedDBVar lets `salesbot dev` use a DATABASE_URL other than its own
// private cluster.
const sharedDBVar = "SALESBOT_DEV_SHARED_DB"

// checkDevDatabase refuses a DATABASE_URL unless sharedDBVar says yes. The
// simulator's workspace works only its own jobs, but a database that real
// workspaces use is still theirs: trying salesbot should never run against
// it by accident (a .env made for production, say).
func checkDevDatabase(cfg config.Config, getenv func(string) string) error {
	v := strings.TrimSpace(getenv(sharedDBVar))
	shared := false
	if v != "" {
		var err error
		if shared, err = strconv.ParseBool(v); err != nil {
			return &exitError{2, fmt.Errorf("%s must be true or false", sharedDBVar)}
		}
	}
	if cfg.DatabaseURL == "" || shared {
		return nil
	}
	return &exitError{2, errors.New("DATABASE_URL is set, but dev runs on its own private Postgres, away from " +
		"real workspaces' data: unset DATABASE_URL, or set " + sharedDBVar + "=true to run the simulator " +
		"on that database anyway (its workspace keeps to its own jobs)")}
}

func cmdDev(ctx context.Context, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return &exitError{2, err}
	}
	if err := checkDevDatabase(cfg, getenv); err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	d, err := startDev(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	offerDemoData(ctx, d.svc.sales, cfg, stdin, stdout, log)
	fmt.Fprintf(stdout, devBanner, d.sim.URL(), "http://"+d.svc.apiAddr()+"/v1/openapi.json")
	return d.serve(ctx)
}

const devBanner = `
salesbot is running against the local Slack simulator:

    %s

Open it in a browser, pick who you are and type /lead new Acme.
The HTTP API for leads from outside is at %s.

To use a real Slack workspace instead, create the app from manifest.yml (see
"Create the Slack app" in the README), put SLACK_BOT_TOKEN and SLACK_APP_TOKEN
in .env and run make run again. Ctrl-C stops.

`

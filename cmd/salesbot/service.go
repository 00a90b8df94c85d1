package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"golang.org/x/sync/errgroup"

	"salesbot/api"
	"salesbot/bot"
	"salesbot/commands"
	"salesbot/config"
	"salesbot/localpg"
	"salesbot/migrations"
	"salesbot/notices"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/rooms"
	"salesbot/sales/salesdb"
	"salesbot/scheduler"
	"salesbot/store"
	"salesbot/webhooks"
)

// journalMargin is how long past SALESBOT_WORK_TIMEOUT a journaled envelope
// waits before another replica may redo it: room for the ack and for
// clearing the journal.
const journalMargin = 5 * time.Second

// journalConns is the journal pool's size: a record is one short insert, so
// a few connections carry a thousand acks a second.
const journalConns = 4

// openJournalPool opens the journal's pool on the service's database.
func openJournalPool(cfg config.Config, pg *localpg.Server) (*sql.DB, error) {
	url := cfg.DatabaseURL
	if pg != nil {
		url = pg.URL()
	}
	jdb, err := sql.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open the journal's pool: %w", err)
	}
	jdb.SetMaxOpenConns(journalConns)
	jdb.SetMaxIdleConns(journalConns)
	return jdb, nil
}

// warmPool opens n connections of db ahead and leaves them idle, so that the
// first acks after a start do not each wait for a connection to be set up
// inside their one-second budget.
func warmPool(ctx context.Context, db *sql.DB, n int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
	}
	return nil
}

// service is everything `salesbot run` starts, wired by hand.
type service struct {
	cfg    config.Config
	log    *slog.Logger
	pg     *localpg.Server // nil when DATABASE_URL is set
	teams  []string        // the workspaces served: only their jobs are worked
	db     *sqlx.DB
	store  *store.Store
	api    *bot.API
	jobs   *river.Client[*sql.Tx] // the process's one River client
	rooms  *rooms.Rooms           // deal rooms' jobs
	outbox *outbox.Outbox
	sales  *salesdb.Service
	app    *commands.App
	sched  *scheduler.Scheduler
	bot    *bot.Bot
	ops    *bot.Ops
	public *api.Server // API_ADDR's listener; nil when the API is off
	// tickLoop runs the scheduler's minute ticker. Off when the clock is
	// pinned: a clock that never moves has nothing to tick, and a test
	// ticks at the times it chooses.
	tickLoop bool

	// journalDB records envelopes before their ack, on connections of its
	// own so that acks never queue behind after-ack work for the pool.
	journalDB *sql.DB
	journal   *outbox.Journal
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return bot.RedactingLogger(slog.New(slog.NewTextHandler(w, opts)))
		}
	}
	return bot.RedactingLogger(slog.New(slog.NewJSONHandler(w, opts)))
}

// openDatabase connects to DATABASE_URL, or starts the private cluster under
// the data folder when it is not set, and applies the migrations.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*sqlx.DB, *localpg.Server, error) {
	url := cfg.DatabaseURL
	var pg *localpg.Server
	if url == "" {
		var err error
		pg, err = localpg.Start(ctx, localpg.Options{Dir: filepath.Join(cfg.DataDir, "postgres"), Logger: log, Install: true})
		if err != nil {
			return nil, nil, fmt.Errorf("start the embedded Postgres (or set DATABASE_URL): %w", err)
		}
		url = pg.URL()
		log.Info("using the embedded Postgres", "dir", filepath.Join(cfg.DataDir, "postgres"))
	}
	db, err := store.Open(ctx, url)
	if err == nil {
		err = migrations.Apply(ctx, db.DB, log)
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		if pg != nil {
			pg.Stop(context.WithoutCancel(ctx))
		}
		return nil, nil, err
	}
	return db, pg, nil
}

// serviceOption changes how startService wires the bot.
type serviceOption struct {
	// now is the clock of the commands and the scheduler: what "today" and
	// "tomorrow 10am" mean, and which day has passed. Tests pin it. The
	// outbox keeps the real clock: it paces real calls to Slack.
	now func() time.Time
}

// funcClock is a scheduler.Clock from a function.
type funcClock func() time.Time

func (f funcClock) Now() time.Time { return f() }

// startService builds every part of the bot; serve then runs them.
func startService(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...serviceOption) (*service, error) {
	log = bot.RedactingLogger(log)
	db, pg, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	now, clock, pinned := time.Now, scheduler.Clock(funcClock(time.Now)), false
	for _, o := range opts {
		if o.now != nil {
			now, clock, pinned = o.now, funcClock(o.now), true
		}
	}
	s := &service{cfg: cfg, log: log, pg: pg, db: db, store: store.New(db), tickLoop: !pinned}
	s.api = bot.NewAPI(cfg.BotToken, cfg.AppToken, cfg.APIURL)
	// The process serves the bot token's workspace, and works only its
	// jobs: others on the same database (another workspace's bot, a
	// `salesbot dev`) keep theirs.
	team, botUser, err := servedTeam(ctx, s.api, log)
	if err != nil {
		s.close()
		return nil, err
	}
	s.teams = []string{team}
	metrics := bot.NewMetrics()
	// An envelope is journaled before its ack; the replica that acked it
	// clears it after its work, or any replica redoes it once that work
	// would have timed out.
	journalDelay := cfg.WorkTimeout + journalMargin
	ocfg := outbox.Config{DB: db.DB, Poster: s.api, Log: log, Metrics: metrics.Registry, Teams: s.teams}
	if d := 2 * journalDelay; d > time.Minute {
		// A live replay must never look stuck.
		ocfg.RescueStuckJobsAfter = d
	}
	// The process's one River client. Each part registers its worker on
	// workers once the part exists, all before serve starts the client.
	var workers *river.Workers
	if s.jobs, workers, err = newJobClient(ocfg, s.teams); err != nil {
		s.close()
		return nil, err
	}
	if err = outbox.Register(workers, ocfg); err == nil {
		s.outbox, err = outbox.On(s.jobs, ocfg)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	hooks, err := webhooks.New(webhooks.Config{Client: s.jobs, AllowPrivate: cfg.WebhookAllowPrivate, Now: now, Log: log})
	if err != nil {
		s.close()
		return nil, err
	}
	if s.rooms, err = rooms.New(rooms.Config{Client: s.jobs, Log: log, Now: now, BotUser: botUser}); err != nil {
		s.close()
		return nil, err
	}
	s.sales = salesdb.New(salesdb.Deps{
		Store:     s.store,
		Outbox:    salesdb.OutboxOf(s.outbox, notices.Message),
		Directory: commands.SalesDirectory(s.api),
		Log:       log,
		Now:       now,
		Defaults:  pipeline.Settings{Currency: "USD", Timezone: cfg.Location.String()},
		Admins:    cfg.Admins,
		Events:    hooks,
		Webhooks:  hooks,
		Rooms:     s.rooms,
	})
	app := commands.New(commands.Deps{Sales: s.sales, Slack: s.api, Channels: s.api, Log: log, Now: now})
	s.app = app
	if s.sched, err = scheduler.New(scheduler.Config{Store: s.store, Client: s.jobs, Outbox: s.outbox, Log: log, Clock: clock,
		Sales: s.sales, Router: s.sales, Teams: s.teams}); err == nil {
		err = s.sched.Register(workers)
	}
	if err == nil {
		err = hooks.Register(workers, s.sales)
	}
	if err == nil {
		err = s.rooms.Register(workers, s.sales, s.api, s.teams)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	if s.journalDB, err = openJournalPool(cfg, pg); err != nil {
		s.close()
		return nil, err
	}
	if err := warmPool(ctx, s.journalDB, journalConns); err != nil {
		log.Warn("the journal's connections could not be opened ahead", "error", err)
	}
	if s.journal, err = s.outbox.Journal(s.journalDB, journalDelay); err != nil {
		s.close()
		return nil, err
	}
	s.bot = bot.New(s.api, app, log, metrics, bot.Options{LaterTimeout: cfg.WorkTimeout, Journal: s.journal})
	if err := river.AddWorkerSafely(workers, outbox.NewEnvelopeWorker(s.bot, journalDelay)); err != nil {
		s.close()
		return nil, fmt.Errorf("register the envelope worker: %w", err)
	}
	s.ops, err = bot.NewOps(cfg.HTTPAddr, metrics, s.store.Ping, s.bot.Connected)
	if err != nil {
		s.close()
		return nil, fmt.Errorf("listen on HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.APIAddr != "" {
		h, _ := api.New(api.Config{Sales: s.sales, Keys: s.sales, KeyRate: cfg.APIKeyRate, IPRate: cfg.APIIPRate,
			TrustProxy: cfg.APITrustProxy, Log: log})
		if s.public, err = api.Listen(cfg.APIAddr, h); err != nil {
			s.close()
			return nil, fmt.Errorf("listen on API_ADDR %s: %w", cfg.APIAddr, err)
		}
	}
	return s, nil
}

// serve runs the bot and the ops server until ctx is cancelled, then drains.
func (s *service) serve(ctx context.Context) error {
	// The job queue outlives ctx: it is stopped below, after the bot has
	// drained, so messages of the last handlers still go out.
	if err := s.outbox.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(s.ops.Serve)
	if s.public != nil {
		g.Go(s.public.Serve)
		g.Go(func() error {
			<-gctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			return s.public.Shutdown(sctx)
		})
	}
	g.Go(func() error { return s.app.RunHome(gctx) })
	if s.tickLoop {
		g.Go(func() error { return s.sched.Loop(gctx) })
	}
	// The shutdown budget counts from the moment shutdown begins.
	began := make(chan time.Time, 1)
	go func() { <-gctx.Done(); began <- time.Now() }()
	g.Go(func() error {
		err := s.bot.Run(gctx)
		start := time.Now()
		select {
		case start = <-began:
		default: // the socket failed on its own; shutdown begins now
		}
		jctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), start.Add(shutdownBudget))
		defer cancel()
		return errors.Join(err, s.stopJobs(jctx))
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return s.ops.Shutdown(sctx)
	})
	s.log.Info("salesbot started", "version", version, "http_addr", s.ops.Addr(), "api_addr", s.apiAddr(), "team_id", s.teams)
	return g.Wait()
}

// shutdownBudget is how long salesbot may take from SIGTERM to exit, River
// included: the bot's drain takes most of it, the job queue the rest.
const shutdownBudget = 20 * time.Second

// jobsCancelShare is the end of the budget left to jobs whose contexts
// stopJobs has cancelled, to return.
const jobsCancelShare = 2 * time.Second

// stopJobs stops the job queue by ctx's deadline: running jobs get until shortly
// before it to finish, then their contexts are cancelled. A job cut short
// is run again after RescueStuckJobsAfter, so nothing is lost.
func (s *service) stopJobs(ctx context.Context) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		return s.jobs.Stop(ctx) // no budget: wait for the jobs
	}
	soft, cancel := context.WithDeadline(ctx, deadline.Add(-jobsCancelShare))
	err := s.jobs.Stop(soft)
	cancel()
	if err == nil {
		return nil
	}
	s.log.Warn("shutdown: jobs still running, cancelling them", "error", err)
	if err := s.jobs.StopAndCancel(ctx); err != nil {
		// Exit anyway: the budget is spent; the jobs will be rescued.
		s.log.Error("shutdown: jobs did not stop before the deadline", "error", err)
	}
	return nil
}

// apiAddr is where the API listens, or "" when it is off.
func (s *service) apiAddr() string {
	if s.public == nil {
		return ""
	}
	return s.public.Addr()
}

func (s *service) close() {
	if s.public != nil {
		_ = s.public.Close()
	}
	if s.journal != nil {
		s.journal.Close()
	}
	if s.journalDB != nil {
		s.journalDB.Close()
	}
	s.db.Close()
	if s.pg != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.pg.Stop(ctx); err != nil {
			s.log.Warn("stopping the embedded Postgres", "error", err)
		}
	}
}

func cmdRun(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load(getenv, true)
	missingToken := errors.Is(err, config.ErrMissingToken)
	if err != nil && !onlyMissingTokens(err) {
		return &exitError{2, err}
	}
	log := newLogger(stderr, cfg.LogLevel)
	if missingToken {
		// Prepare the database anyway, so a first run leaves a working
		// schema behind, then say which token is missing.
		db, pg, derr := openDatabase(ctx, cfg, log)
		if derr != nil {
			return errors.Join(&exitError{2, err}, derr)
		}
		db.Close()
		if pg != nil {
			pg.Stop(context.WithoutCancel(ctx))
		}
		return &exitError{2, err}
	}
	s, err := startService(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.close()
	return s.serve(ctx)
}

// onlyMissingTokens reports whether every configuration error is a missing
// Slack token (and not, say, a malformed one). Load joins its errors.
func onlyMissingTokens(err error) bool {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return errors.Is(err, config.ErrMissingToken)
	}
	for _, e := range joined.Unwrap() {
		if !errors.Is(e, config.ErrMissingToken) {
			return false
		}
	}
	return true
}

func cmdMigrate(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return &exitError{2, err}
	}
	log := newLogger(stderr, cfg.LogLevel)
	_, done, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	done()
	log.Info("migrations applied")
	return nil
}

// openStore opens the migrated database for a one-shot subcommand (the
// embedded cluster when DATABASE_URL is not set); done closes it and stops
// the cluster.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Store, func(), error) {
	db, pg, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	return store.New(db), func() {
		db.Close()
		if pg != nil {
			pg.Stop(context.WithoutCancel(ctx))
		}
	}, nil
}

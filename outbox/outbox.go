package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/slack-go/slack"
)

// Message is one Slack post to deliver. Blocks are Block Kit JSON.
type Message struct {
	TeamID  string          `json:"team_id"`
	Channel string          `json:"channel"` // channel ID, or a user ID for a DM
	Text    string          `json:"text"`    // notification / fallback text
	Blocks  json.RawMessage `json:"blocks,omitempty"`
	Kind    string          `json:"kind"` // "won_announcement", "handoff_offer", … for logs and metrics
	// Key, when set, makes the message unique within its workspace: a second
	// Enqueue with the same TeamID and Key is a no-op while the first job is
	// pending, running or completed (River keeps completed jobs 24 h).
	Key string `json:"key,omitempty"`
	// Update, when set, is the ts of an existing message to chat.update
	// instead of posting; Channel must then be the channel (or user) of
	// that message.
	Update string `json:"update,omitempty"`
	// Chart, when set, is a PNG shared in the channel right after the
	// message, by the attempt that posted it. A retry that finds the message
	// already posted does not share it again, so a crash between the two
	// can lose the picture, never the message, and never doubles either;
	// the message's text carries the same figures.
	Chart *Chart `json:"chart,omitempty"`
	// NotBefore, when set, holds the message until then: a reminder that
	// falls in someone's quiet hours waits for their morning.
	NotBefore time.Time `json:"-"`
}

// Chart is a picture that goes with a Message.
type Chart struct {
	PNG      []byte `json:"png"`
	Filename string `json:"filename"`
	Title    string `json:"title"`
}

// Poster is the part of the Slack Web API the outbox uses; *bot.API
// satisfies it through its embedded *slack.Client.
type Poster interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
	// OpenConversationContext resolves a user ID to the ID of the bot's DM
	// with that user, whose history a retried DM is checked against.
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
}

// Config configures an Outbox. DB is required, and Poster when Teams are
// served.
type Config struct {
	DB      *sql.DB
	Poster  Poster
	Log     *slog.Logger          // default slog.Default()
	Metrics prometheus.Registerer // optional
	Now     func() time.Time      // default time.Now

	// PerChannelInterval is the least time between two posts to one
	// channel from this process: Slack allows about one message per second
	// per channel. Default 1 s.
	PerChannelInterval time.Duration
	// Workers is how many messages are delivered at once. Default 100:
	// a worker is a goroutine that mostly waits on Slack (and on pacing
	// waits under half a second); it holds no database connection.
	Workers int
	// Teams are the workspaces (Slack team IDs) this process serves: it
	// works the outbox queue of each (QueueFor(QueueOutbox, team)) and no
	// other, so a process never delivers another workspace's messages. An
	// Outbox with no Teams only enqueues (one-shot commands).
	Teams []string

	// JobTimeout bounds one delivery attempt. Default 30 s: a post gets at
	// most postTimeout and a history check a few pages, so half a minute
	// is a hung connection, not a slow Slack.
	JobTimeout time.Duration
	// RescueStuckJobsAfter is when a job left running by a dead process
	// is run again. Default 1 min (River's is 1 h): the leader's rescuer
	// looks every 30 s, so such a message goes out 1 to 1.5 min late. It
	// must exceed the longest a live attempt can run (JobTimeout, plus
	// postTimeout for a post already on its way), or a live job could be
	// run twice at once.
	RescueStuckJobsAfter time.Duration

	// AfterPost, a test knob, is called after Slack accepted a post and
	// before the job completes: tests simulate a crash there.
	AfterPost func(jobID int64)
}

// Settings chosen for a chat bot on River in poll-only mode (the
// database/sql driver has no LISTEN). Measured here: a 200 ms poll with a
// 20 ms cooldown starts a committed job after 118 ms at the median, 212 ms
// at worst, for about 14 idle queries a second; River's 1 s default makes
// an announcement feel late (570 ms median).
const (
	fetchPollInterval = 200 * time.Millisecond
	fetchCooldown     = 20 * time.Millisecond

	// The outbox's own queues poll faster: a message follows a change a
	// person is waiting to see (an inbound lead's offer DM is timed from
	// the form's submission), and River offers poll-only clients no way to
	// wake a producer after another transaction commits (InsertTx never
	// triggers a fetch; only a non-transactional Insert does, and a wake-up
	// job per message would cost a write each under load). At 20 ms a
	// committed message starts within about 25 ms. Measured here, idle, one
	// workspace: 13.6 -> 75-81 transactions a second, 2.3 -> 12 % of one
	// core (Postgres and the client); under load the fetches are not extra,
	// each brings the jobs that came. Other queues keep 200 ms.
	outboxPollInterval = 20 * time.Millisecond
	outboxCooldown     = 5 * time.Millisecond

	defaultInterval    = time.Second
	defaultWorkers     = 100
	defaultJobTimeout  = 30 * time.Second
	defaultRescueAfter = time.Minute

	// journalWorkers replay envelopes of dead replicas: a burst's worth,
	// each mostly waiting on the database or Slack.
	journalWorkers = 50

	// maxAttempts with retryDelay's schedule retries for about 85 minutes:
	// long enough to ride out a Slack incident, short enough that a
	// message is not delivered when it no longer means anything.
	maxAttempts = 25
)

// Outbox delivers Messages. It is safe for concurrent use.
type Outbox struct {
	client *river.Client[*sql.Tx]
	db     *sql.DB
	teams  []string
	log    *slog.Logger
}

// New builds an Outbox on a River client of its own that carries only the
// outbox's worker: for a process whose only jobs are messages (one-shot
// commands enqueue; tests deliver). A process with other jobs builds one
// client for all of them (RiverConfig, Register, On). New does not start
// working jobs: see Start.
func New(cfg Config) (*Outbox, error) {
	workers := river.NewWorkers()
	if err := Register(workers, cfg); err != nil {
		return nil, err
	}
	rc, err := RiverConfig(cfg, workers, Queues(cfg))
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverdatabasesql.New(cfg.DB), rc)
	if err != nil {
		return nil, fmt.Errorf("outbox: river client: %w", err)
	}
	return On(client, cfg)
}

// Register puts the outbox's delivery worker on workers, the bundle of the
// River client the Outbox will be built on (On). River accepts workers
// until the client starts.
func Register(workers *river.Workers, cfg Config) error {
	if err := cfg.setDefaults(); err != nil {
		return err
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return err
	}
	w := &worker{
		poster:    cfg.Poster,
		log:       cfg.Log,
		now:       cfg.Now,
		metrics:   m,
		pacer:     newPacer(cfg.PerChannelInterval, outboxPollInterval, cfg.Now),
		afterPost: cfg.AfterPost,
	}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return fmt.Errorf("outbox: register worker: %w", err)
	}
	return nil
}

// Queues are the outbox queues of the workspaces cfg serves (Config.Teams),
// one each, named by QueueFor.
func Queues(cfg Config) map[string]river.QueueConfig {
	n := cfg.Workers
	if n <= 0 {
		n = defaultWorkers
	}
	q := map[string]river.QueueConfig{}
	for _, team := range cfg.Teams {
		q[QueueFor(QueueOutbox, team)] = river.QueueConfig{MaxWorkers: n,
			FetchPollInterval: outboxPollInterval, FetchCooldown: outboxCooldown}
	}
	return q
}

// JournalQueues are the queues of journaled envelopes (see Journal) of the
// given workspaces, worked by an EnvelopeWorker.
func JournalQueues(teams []string) map[string]river.QueueConfig {
	q := map[string]river.QueueConfig{}
	for _, team := range teams {
		q[QueueFor(QueueJournal, team)] = river.QueueConfig{MaxWorkers: journalWorkers}
	}
	return q
}

// RiverConfig is the configuration of a River client for salesbot's jobs,
// with cfg's timeouts, working queues with workers. Every process builds
// one client from it, on which the outbox and the other packages register
// their workers. Nothing uses River's periodic jobs: only the elected
// leader enqueues them, and the leader may be a process serving other
// workspaces.
func RiverConfig(cfg Config, workers *river.Workers, queues map[string]river.QueueConfig) (*river.Config, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	return &river.Config{
		Logger:               cfg.Log,
		PollOnly:             true,
		FetchPollInterval:    fetchPollInterval,
		FetchCooldown:        fetchCooldown,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		MaxAttempts:          maxAttempts,
		Queues:               queues,
		Workers:              workers,
	}, nil
}

// On returns the Outbox that enqueues on client, which must carry the
// outbox's worker (Register) if it enqueues; with Config.Teams, Start
// starts client working their queues.
func On(client *river.Client[*sql.Tx], cfg Config) (*Outbox, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	return &Outbox{client: client, db: cfg.DB, teams: cfg.Teams, log: cfg.Log}, nil
}

func (c *Config) setDefaults() error {
	var errs []error
	if c.DB == nil {
		errs = append(errs, errors.New("outbox: Config.DB is required"))
	}
	if c.Poster == nil && len(c.Teams) > 0 {
		// Only an outbox that delivers posts; one that only enqueues
		// (a one-shot command, without Slack) needs none.
		errs = append(errs, errors.New("outbox: Config.Poster is required to deliver Teams' messages"))
	}
	if c.PerChannelInterval < 0 || c.Workers < 0 || c.JobTimeout < 0 || c.RescueStuckJobsAfter < 0 {
		errs = append(errs, errors.New("outbox: intervals, timeouts and Workers cannot be negative"))
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PerChannelInterval == 0 {
		c.PerChannelInterval = defaultInterval
	}
	if c.Workers == 0 {
		c.Workers = defaultWorkers
	}
	for _, team := range c.Teams {
		if err := ValidTeam(team); err != nil {
			errs = append(errs, fmt.Errorf("outbox: Config.Teams: %w", err))
		}
	}
	if c.JobTimeout == 0 {
		c.JobTimeout = defaultJobTimeout
	}
	if c.RescueStuckJobsAfter == 0 {
		c.RescueStuckJobsAfter = max(defaultRescueAfter, c.JobTimeout+postTimeout)
	}
	if c.RescueStuckJobsAfter < c.JobTimeout {
		errs = append(errs, errors.New("outbox: RescueStuckJobsAfter cannot be less than JobTimeout"))
	}
	return errors.Join(errs...)
}

// Enqueue adds m to the outbox inside the caller's transaction: if tx
// commits, m will be delivered; if it rolls back, m never existed. A
// Message with a Key already enqueued is skipped without error. An invalid
// Message is an error, so the caller's change rolls back rather than
// commits without its message.
func (o *Outbox) Enqueue(ctx context.Context, tx *sql.Tx, m Message) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("outbox: enqueue %s to %s: %w", m.Kind, m.Channel, err)
	}
	opts := &river.InsertOpts{Queue: QueueFor(QueueOutbox, m.TeamID), MaxAttempts: maxAttempts}
	if m.Key != "" {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	if !m.NotBefore.IsZero() {
		opts.ScheduledAt = m.NotBefore
	}
	res, err := o.client.InsertTx(ctx, tx, argsOf(m), opts)
	if err != nil {
		return fmt.Errorf("outbox: enqueue %s to %s: %w", m.Kind, m.Channel, err)
	}
	if res.UniqueSkippedAsDuplicate {
		o.log.DebugContext(ctx, "outbox: duplicate key skipped", "kind", m.Kind, "key", m.Key, "team_id", m.TeamID)
	}
	return nil
}

// Start starts working jobs. River stops hard (cancelling running jobs) if
// ctx is cancelled, so pass a context that lives as long as the process and
// use Stop to shut down.
func (o *Outbox) Start(ctx context.Context) error {
	if err := o.adoptLegacy(ctx); err != nil {
		return err
	}
	if err := o.client.Start(ctx); err != nil {
		return fmt.Errorf("outbox: start: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running deliveries to finish. If
// ctx ends first it returns ctx's error; jobs still running then are run
// again after RescueStuckJobsAfter, and any that had posted find their
// message in history.
func (o *Outbox) Stop(ctx context.Context) error {
	if err := o.client.Stop(ctx); err != nil {
		return fmt.Errorf("outbox: stop: %w", err)
	}
	return nil
}

// Client returns the River client the Outbox enqueues on.
func (o *Outbox) Client() *river.Client[*sql.Tx] { return o.client }

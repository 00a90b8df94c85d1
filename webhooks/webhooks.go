package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"salesbot/outbox"
	"salesbot/sales"
)

// QueueWebhooks is the kind of the River queues of deliveries, one per
// workspace (outbox.QueueFor).
const QueueWebhooks = "webhooks"

// Defaults.
const (
	defaultRetryBase = 30 * time.Second
	defaultTimeout   = 10 * time.Second
	queueWorkers     = 20
	// The first retry waits RetryBase, each next one twice as long, up to
	// maxDelayFactor times RetryBase; retries stop once they would go past
	// windowFactor times RetryBase (with 30 s: at most 6 h apart, for 24 h).
	maxDelayFactor = 720
	windowFactor   = 2880
)

// Endpoints is what a delivery learns and tells about its endpoint, through
// the use cases (salesdb): a failure may disable it and tell the admins.
type Endpoints interface {
	WebhookTarget(ctx context.Context, team string, id int64) (sales.Webhook, string, error)
	WebhookDelivered(ctx context.Context, team string, id int64) error
	WebhookFailed(ctx context.Context, team string, id int64, reason string) (disabled bool, err error)
}

// Config is what the webhooks need.
type Config struct {
	// Client is the process's River client: Publish inserts on it, and
	// Register puts the delivery worker on its workers.
	Client       *river.Client[*sql.Tx]
	AllowPrivate bool             // WEBHOOK_ALLOW_PRIVATE: local receivers and http, for tests only
	Now          func() time.Time // signatures' timestamps; default time.Now
	Log          *slog.Logger
	RetryBase    time.Duration // the first retry's delay; default 30 s
	Timeout      time.Duration // one request's; default 10 s
}

// Hooks publishes events as deliveries and delivers them.
type Hooks struct {
	cfg   Config
	guard Guard
}

// New builds the Hooks on cfg.Client.
func New(cfg Config) (*Hooks, error) {
	if cfg.Client == nil {
		return nil, errors.New("webhooks: Config.Client is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = defaultRetryBase
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	return &Hooks{cfg: cfg, guard: Guard{AllowPrivate: cfg.AllowPrivate}}, nil
}

// Queues are the delivery queues of the workspaces a process serves.
func Queues(teams []string) map[string]river.QueueConfig {
	q := map[string]river.QueueConfig{}
	for _, team := range teams {
		q[outbox.QueueFor(QueueWebhooks, team)] = river.QueueConfig{MaxWorkers: queueWorkers}
	}
	return q
}

// CheckURL checks an endpoint's URL when it is added (see Guard).
func (h *Hooks) CheckURL(ctx context.Context, raw string) (string, error) {
	return h.guard.CheckURL(ctx, raw)
}

// deliveryArgs is one event for one endpoint. The body is kept as the
// bytes first made (a string, not JSON that Postgres would reorder), so
// every retry sends and signs the same bytes.
type deliveryArgs struct {
	Team     string `json:"team_id" river:"unique"`
	EventID  string `json:"event_id" river:"unique"`
	Endpoint int64  `json:"endpoint_id" river:"unique"`
	Type     string `json:"type"`
	Body     string `json:"body"`
}

func (deliveryArgs) Kind() string { return "webhook_delivery" }

// Publish inserts one delivery of e per endpoint it names, in tx: they run
// if and only if tx commits, and inserting the same (event, endpoint) twice
// makes one job.
func (h *Hooks) Publish(ctx context.Context, tx *sql.Tx, e sales.Event) error {
	if len(e.Endpoints) == 0 {
		return nil
	}
	b, err := Body(e)
	if err != nil {
		return fmt.Errorf("webhooks: body of %s: %w", e.ID, err)
	}
	opts := &river.InsertOpts{Queue: outbox.QueueFor(QueueWebhooks, e.Team), MaxAttempts: h.maxAttempts(),
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
	params := make([]river.InsertManyParams, len(e.Endpoints))
	for i, id := range e.Endpoints {
		params[i] = river.InsertManyParams{Args: deliveryArgs{Team: e.Team, EventID: e.ID, Endpoint: id, Type: e.Type,
			Body: string(b)}, InsertOpts: opts}
	}
	if _, err := h.cfg.Client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("webhooks: queue %s for %d endpoints: %w", e.Type, len(params), err)
	}
	return nil
}

// delay is how long after attempt (1 for the first) its retry waits.
func (h *Hooks) delay(attempt int) time.Duration {
	d, most := h.cfg.RetryBase, h.cfg.RetryBase*maxDelayFactor
	for i := 1; i < attempt && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// maxAttempts is how many attempts fit in the retry window: the first, and
// every retry that starts within it.
func (h *Hooks) maxAttempts() int {
	window := h.cfg.RetryBase * windowFactor
	n, at := 1, time.Duration(0)
	for {
		at += h.delay(n)
		if at > window {
			return n
		}
		n++
	}
}

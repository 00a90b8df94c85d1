// Package salesdb carries out the use cases of package sales over the
// store, one method per thing a person or a job can do: each owns its
// transaction, its idempotency claim, its locks, its authorization and the
// notices it queues. It knows nothing of Slack: who is active comes through
// Directory, and the messages a change causes leave as typed notices
// through Outbox, for the caller to render.
package salesdb

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// Outbox queues the notices that follow a change, in the transaction that
// makes it, so they are sent if and only if the change commits. The
// implementation renders them.
type Outbox interface {
	Enqueue(ctx context.Context, tx *sql.Tx, n Notice) error
}

// OutboxOf is the Outbox that renders each notice into a message with
// render and queues that message on q, in the change's transaction. The
// wiring joins the delivery outbox to the renderer this way, so neither the
// renderer needs a transaction nor the use cases a message format.
func OutboxOf[M any](q interface {
	Enqueue(ctx context.Context, tx *sql.Tx, m M) error
}, render func(Notice) (M, error)) Outbox {
	return renderedOutbox[M]{q: q, render: render}
}

type renderedOutbox[M any] struct {
	q interface {
		Enqueue(ctx context.Context, tx *sql.Tx, m M) error
	}
	render func(Notice) (M, error)
}

func (o renderedOutbox[M]) Enqueue(ctx context.Context, tx *sql.Tx, n Notice) error {
	m, err := o.render(n)
	if err != nil {
		return err
	}
	return o.q.Enqueue(ctx, tx, m)
}

// Deps is what the use cases need.
type Deps struct {
	Store     *store.Store
	Outbox    Outbox
	Directory Directory // nil takes everyone as active
	Log       *slog.Logger
	Now       func() time.Time
	Defaults  pipeline.Settings // for workspaces seen for the first time
	Admins    []string          // Slack user IDs that are admins from the start
	Events    Events            // webhooks; nil publishes nothing
	Webhooks  WebhookGuard      // checks webhook URLs; nil takes any https URL
	Rooms     RoomJobs          // makes deal rooms in Slack; nil opens none
}

// Service carries out the use cases.
type Service struct {
	store    *store.Store
	outbox   Outbox
	dir      Directory
	log      *slog.Logger
	now      func() time.Time
	defaults pipeline.Settings
	admins   map[string]bool
	active   activeUsers // routing: who the directory said is active, recently
	roles    roles       // help: the roles Role read, recently
	events   Events
	guard    WebhookGuard
	keys     checkedKeys // API keys that checked out, briefly
	rooms    RoomJobs
}

// New builds the Service.
func New(d Deps) *Service {
	s := &Service{store: d.Store, outbox: d.Outbox, dir: d.Directory, log: d.Log, now: d.Now, defaults: d.Defaults,
		admins: map[string]bool{}, events: d.Events, guard: d.Webhooks}
	s.rooms = d.Rooms
	for _, id := range d.Admins {
		s.admins[id] = true
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.defaults.Currency == "" {
		s.defaults.Currency = "USD"
	}
	return s
}

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// clip shortens s for quoting in an error.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

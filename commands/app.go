// Package commands turns what people do in Slack (slash commands, modal
// submissions, button clicks) into calls on the pipeline and the store, and
// renders the answers as Block Kit. It never talks to the socket itself: the
// bot hands it envelopes and sends the acks it returns.
package commands

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// Reply is a handler's answer to one envelope: Ack is sent back on the socket
// at once (nil = a bare ack); Later, when set, runs after the ack, so nothing
// slow ever delays it.
type Reply struct {
	Ack   any
	Later func(ctx context.Context) error
	// Transient marks a Later that changes nothing and means nothing once
	// its moment is gone, such as opening a modal (its trigger_id lasts
	// 3 s): it is not journaled for another process to redo, and it runs
	// even when the journal is unavailable.
	Transient bool
}

// Outbox delivers messages that follow a state change: enqueued in the
// transaction that makes the change, posted after it commits.
type Outbox interface {
	Enqueue(ctx context.Context, tx *sql.Tx, m outbox.Message) error
}

// Deps is what the commands need from the rest of the program.
type Deps struct {
	Store    *store.Store
	Slack    Slack // nil only for `salesbot import` without a bot token: routing then asks Slack nothing
	Outbox   Outbox
	Log      *slog.Logger
	Defaults pipeline.Settings // for workspaces seen for the first time
	Admins   []string          // Slack user IDs that are admins from the start
	Now      func() time.Time
}

// App handles every slash command, modal and button of salesbot.
type App struct {
	store    *store.Store
	slack    Slack
	outbox   Outbox
	log      *slog.Logger
	defaults pipeline.Settings
	admins   map[string]bool
	now      func() time.Time
	families []*family
	sales    *sales.Service
	home     *homeRefresh
	helpAck  *staticAnswer // rendered once (renderStatic), the same for every role
}

// New builds the App and registers every command.
func New(d Deps) *App {
	a := &App{
		store:    d.Store,
		slack:    d.Slack,
		outbox:   d.Outbox,
		log:      d.Log,
		defaults: d.Defaults,
		admins:   map[string]bool{},
		now:      d.Now,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.defaults.Currency == "" {
		a.defaults.Currency = "USD"
	}
	// Slack may be nil where no command needs it; routing then takes
	// everyone as active.
	var users UserInfo
	if d.Slack != nil {
		users = d.Slack
	}
	a.sales = sales.New(sales.Deps{Store: d.Store, Outbox: SalesOutbox(d.Outbox), Directory: SalesDirectory(users),
		Log: a.log, Now: a.now, Defaults: a.defaults})
	for _, id := range d.Admins {
		a.admins[id] = true
	}
	a.families = a.register()
	a.renderStatic()
	a.home = newHomeRefresh()
	return a
}

// dbTimeout bounds how long a handler waits on the database before it tells
// the user to try again; Slack users give up long before a TCP timeout.
const dbTimeout = 5 * time.Second

// fastDBTimeout bounds a lookup made before a modal opens: the trigger_id
// expires three seconds after the click.
const fastDBTimeout = 800 * time.Millisecond

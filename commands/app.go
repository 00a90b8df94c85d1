// Package commands is Slack's side of salesbot: it reads what people do
// (slash commands, modal submissions, button clicks), calls the use case
// (sales) and answers with what render makes of the result. The words and
// the Block Kit views are render's. It never talks to the socket itself:
// the bot hands it envelopes and sends the acks it returns.
package commands

import (
	"context"
	"log/slog"
	"time"

	"salesbot/internal/coalesce"
	"salesbot/pipeline"
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

// Deps is what the commands need from the rest of the program.
type Deps struct {
	// Sales carries out what people ask; its defaults are the settings of
	// workspaces seen for the first time, and its first admins the admins.
	Sales UseCases
	Slack Slack // nil only where no command needs Slack
	Log   *slog.Logger
	Now   func() time.Time

	// Channels links to messages for Add to deal; nil where it is not used.
	Channels Channels
}

// App handles every slash command, modal and button of salesbot.
type App struct {
	slack    Slack
	channels Channels
	log      *slog.Logger
	defaults pipeline.Settings
	now      func() time.Time
	families []*family
	sales    UseCases
	home     *coalesce.Queue[homeKey]
	helps    map[string]*message // help answers by role and family, rendered once (renderHelp)
}

// New builds the App and registers every command.
func New(d Deps) *App {
	a := &App{
		slack: d.Slack,
		sales: d.Sales,
		log:   d.Log,
		now:   d.Now,
	}
	a.channels = d.Channels
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.defaults = pipeline.Settings{Currency: "USD"}
	if a.sales != nil { // nil only where no command reaches the database
		a.defaults = a.sales.Defaults()
	}
	a.families = a.register()
	a.renderStatic()
	a.home = coalesce.New[homeKey](homeQueue)
	return a
}

// dbTimeout bounds how long a handler waits on the database before it tells
// the user to try again; Slack users give up long before a TCP timeout.
const dbTimeout = 5 * time.Second

// tellTimeout bounds telling a person that their request failed, on a
// context of its own: the request's deadline may be what failed.
const tellTimeout = 5 * time.Second

// fastDBTimeout bounds a lookup made before a modal opens: the trigger_id
// expires three seconds after the click.
const fastDBTimeout = 800 * time.Millisecond

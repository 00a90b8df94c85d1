package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
	"salesbot/store"
)

// actor is the person behind an envelope, as salesbot knows them: the
// workspace is created and the person recorded on first sight, and the
// configured first admins are admins.
func (a *App) actor(ctx context.Context, teamID, userID string) (pipeline.User, pipeline.Settings, error) {
	return a.sales.Actor(ctx, teamID, userID)
}

// notFoundText answers a deal number that does not exist in the actor's
// workspace. It says the same whether the number exists elsewhere or not at all.
func notFoundText(n int64) string {
	return fmt.Sprintf("I can't find %s in this workspace. `/deal find <text>` searches your deals.", pipeline.FormatRef(n))
}

// dealFor loads deal number n for actor and checks that they may work on
// it (sales.Service.Deal: not found and forbidden come back typed).
func (a *App) dealFor(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, error) {
	return a.sales.Deal(ctx, actor, n)
}

// userError is what a person is told when their request failed: rule
// violations and bad input in their own words, anything else as a short
// apology (the full error goes to the log).
func (a *App) userError(err error, team, user string) string {
	var snf sales.ErrNotFound
	var inputErr inputError
	var invalid *sales.ValidationError
	switch {
	case errors.As(err, &snf):
		return ":mag: " + notFoundText(snf.Number)
	case errors.As(err, &inputErr):
		return ":warning: " + inputErr.Error()
	case errors.As(err, &invalid):
		return ":warning: " + render.Escape(invalid.Error()) // it may quote what was typed
	case errors.Is(err, pipeline.ErrForbidden):
		return ":no_entry: " + render.Capitalize(strings.TrimPrefix(err.Error(), pipeline.ErrForbidden.Error()+": "))
	case errors.Is(err, pipeline.ErrSameStage), errors.Is(err, pipeline.ErrLostNeedsWhy),
		errors.Is(err, pipeline.ErrClosedToClosed), errors.Is(err, pipeline.ErrUnknownStage),
		errors.Is(err, pipeline.ErrWhenUnreadable), errors.Is(err, pipeline.ErrWhenPast),
		errors.Is(err, pipeline.ErrWhenTooFar):
		// These quote what the person typed: escape it.
		return ":warning: " + render.Escape(render.Capitalize(err.Error()))
	}
	// The store's own words would include what it was doing; say only what
	// happened.
	for _, known := range []error{store.ErrNotPending, store.ErrConflict, store.ErrAlreadyOwner} {
		if errors.Is(err, known) {
			return ":warning: " + render.Capitalize(strings.TrimPrefix(known.Error(), "store: ")) + "."
		}
	}
	a.log.Error("request failed", "team", team, "user", user, "error", err)
	return ":warning: That did not work: salesbot could not reach its database. Nothing was changed; please try again in a minute."
}

// inputError is bad input that the person can fix; its text says how.
type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return inputError{fmt.Sprintf(format, args...)} }

// respond answers a slash command or button through its response_url.
func (a *App) respond(ctx context.Context, responseURL string, m message) error {
	if responseURL == "" {
		return nil
	}
	return a.slack.Respond(ctx, responseURL, slack.WebhookMessage{
		ResponseType: m.ResponseType, ReplaceOriginal: m.ReplaceOriginal, Text: m.Text,
		Blocks: &slack.Blocks{BlockSet: m.Blocks},
	})
}

// later runs work after the ack and answers through the response_url: with
// what work returns, or with what went wrong.
func (a *App) later(in SlashInput, work func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error)) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		actor, st, err := a.actor(dbctx, in.TeamID, in.UserID)
		var m message
		if err == nil {
			m, err = work(dbctx, actor, st)
		}
		if errors.Is(err, errDuplicate) {
			return nil // a redelivery: the first delivery answered
		}
		if err != nil {
			m = ephemeral(a.userError(err, in.TeamID, in.UserID))
		}
		if m.ResponseType == "" {
			m.ResponseType = slack.ResponseTypeEphemeral
		}
		return a.respond(ctx, in.ResponseURL, m)
	}}
}

package commands

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// userError is what a person is told when their request failed: bad input
// that commands found, else render's words for the use cases' errors, else
// a short apology (the full error goes to the log).
func (a *App) userError(err error, team, user string) string {
	if inputErr := (inputError{}); errors.As(err, &inputErr) {
		return ":warning: " + inputErr.Error()
	}
	if adminOnly := (pipeline.AdminOnlyError{}); errors.As(err, &adminOnly) {
		return a.adminOnlyText(adminOnly, team)
	}
	if text, ok := render.ErrorText(err); ok {
		return text
	}
	a.log.Error("request failed", "team", team, "user", user, "error", err)
	return render.Unavailable
}

// inputError is bad input that the person can fix; its text says how.
type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

func badInput(msg string) error { return inputError{msg} }

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

// afterAck runs work after the ack for the person behind team and user,
// and hands deliver what work returns, or the words for what went wrong; a
// redelivery is dropped.
func (a *App) afterAck(team, user string, deliver func(context.Context, message) error, work func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error)) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		actor, st, err := a.sales.Actor(dbctx, team, user)
		var m message
		if err == nil {
			m, err = work(dbctx, actor, st)
		}
		if errors.Is(err, sales.ErrDuplicate) {
			return nil // a redelivery: the first delivery answered
		}
		if err != nil {
			m = ephemeral(a.userError(err, team, user))
		}
		return deliver(ctx, m)
	}}
}

// later runs work after the ack and answers through the response_url: with
// what work returns, or with what went wrong.
func (a *App) later(in SlashInput, work func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error)) Reply {
	return a.afterAck(in.TeamID, in.UserID, func(ctx context.Context, m message) error {
		if m.ResponseType == "" {
			m.ResponseType = slack.ResponseTypeEphemeral
		}
		return a.respond(ctx, in.ResponseURL, m)
	}, work)
}

// openForm opens the modal build returns for the person behind in, once the
// database has said what it shows (within the trigger's 3 s); what goes
// wrong before it opens is answered through the response_url.
func (a *App) openForm(in SlashInput, form render.Form, build func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (slack.ModalViewRequest, error)) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		defer cancel()
		actor, st, err := a.sales.Actor(dbctx, in.TeamID, in.UserID)
		var view slack.ModalViewRequest
		if err == nil {
			view, err = build(dbctx, actor, st)
		}
		if err != nil {
			return a.respond(ctx, in.ResponseURL, ephemeral(a.userError(err, in.TeamID, in.UserID)))
		}
		return a.openModal(ctx, in.TriggerID, view, modalOpen{Form: form, responseURL: in.ResponseURL, user: in.UserID})
	}}
}

// saveLater runs save after a valid form's ack and tells the person by DM
// what it returns, or what went wrong; a redelivery is dropped.
func (a *App) saveLater(cb slack.InteractionCallback, save func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (string, error)) Reply {
	return a.afterAck(cb.Team.ID, cb.User.ID, func(ctx context.Context, m message) error { return a.tell(ctx, "", cb.User.ID, m) },
		func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			text, err := save(ctx, actor, st)
			return ephemeral(text), err
		})
}

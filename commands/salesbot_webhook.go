package commands

import (
	"context"
	"errors"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// salesbotWebhook handles "/salesbot webhook add <https-url> [events…]",
// "list", "test <id>" and "remove <id>" (admins). A new webhook's secret
// goes only to the admin who asked, ephemerally, through the response_url.
func (a *App) salesbotWebhook(ctx context.Context, in SlashInput) Reply {
	usage := Reply{Ack: ephemeral(":warning: " + render.WebhookUsageHelp())}
	if len(in.Args) == 0 {
		return usage
	}
	args := in.Args[1:]
	switch strings.ToLower(in.Args[0]) {
	case "add":
		if len(args) == 0 {
			return usage
		}
		req := sales.AddWebhook{URL: slackLink(args[0]), Events: args[1:]}
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			req.Team, req.Actor, req.IdempotencyKey = actor.WorkspaceID, actor, in.key()
			added, err := a.sales.AddWebhook(ctx, req)
			if err != nil {
				return message{}, err
			}
			return ephemeral(render.WebhookAdded(added.Webhook, added.Secret)), nil
		})
	case "list":
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			hooks, err := a.sales.ListWebhooks(ctx, sales.ListWebhooks{Team: actor.WorkspaceID, Actor: actor})
			if err != nil {
				return message{}, err
			}
			return ephemeral(render.WebhooksShown(hooks, a.userLocation(ctx, actor))), nil
		})
	case "test", "remove":
		if len(args) != 1 {
			return Reply{Ack: ephemeral(":warning: " + render.WebhookWhich)}
		}
		verb := strings.ToLower(in.Args[0])
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			req := sales.WebhookRequest{Team: actor.WorkspaceID, Actor: actor, ID: args[0], IdempotencyKey: in.key()}
			do, answer := a.sales.TestWebhook, render.WebhookTestSent
			if verb == "remove" {
				do, answer = a.sales.RemoveWebhook, render.WebhookRemoved
			}
			w, err := do(ctx, req)
			var none sales.ErrNoSuchWebhook
			switch {
			case errors.As(err, &none):
				return message{}, badInput(render.NoSuchWebhook(none.ID))
			case err != nil:
				return message{}, err
			}
			return ephemeral(answer(w)), nil
		})
	}
	return usage
}

// slackLink reads a URL as Slack may send it when it escapes the command's
// text: <https://example.com/x> or <https://example.com/x|example.com/x>.
func slackLink(word string) string {
	if inner, ok := strings.CutPrefix(word, "<"); ok {
		if inner, ok = strings.CutSuffix(inner, ">"); ok {
			link, _, _ := strings.Cut(inner, "|")
			return link
		}
	}
	return word
}

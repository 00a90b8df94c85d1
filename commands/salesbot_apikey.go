package commands

import (
	"context"
	"errors"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// salesbotAPIKey handles "/salesbot apikey new <label> [form origins…]",
// "list" and "revoke <prefix>" (admins). A new key goes only to the admin
// who asked, ephemerally, through the response_url: never to a channel nor
// a log.
func (a *App) salesbotAPIKey(ctx context.Context, in SlashInput) Reply {
	usage := Reply{Ack: ephemeral(":warning: " + render.UsageOnly(render.APIKeyUsage))}
	if len(in.Args) == 0 {
		return usage
	}
	args := in.Args[1:]
	switch strings.ToLower(in.Args[0]) {
	case "new":
		req, ok := parseNewAPIKey(args)
		if !ok {
			return usage
		}
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			req.Team, req.Actor, req.IdempotencyKey = actor.WorkspaceID, actor, in.key()
			made, err := a.sales.NewAPIKey(ctx, req)
			if err != nil {
				return message{}, err
			}
			return ephemeral(render.APIKeyMade(made.Key, made.Raw)), nil
		})
	case "list":
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			keys, err := a.sales.ListAPIKeys(ctx, sales.ListAPIKeys{Team: actor.WorkspaceID, Actor: actor})
			if err != nil {
				return message{}, err
			}
			return ephemeral(render.APIKeysShown(keys, a.userLocation(ctx, actor))), nil
		})
	case "revoke":
		if len(args) != 1 {
			return Reply{Ack: ephemeral(":warning: " + render.APIKeyWhich)}
		}
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			k, err := a.sales.RevokeAPIKey(ctx, sales.RevokeAPIKey{Team: actor.WorkspaceID, Actor: actor, Prefix: args[0],
				IdempotencyKey: in.key()})
			var none sales.ErrNoSuchKey
			switch {
			case errors.As(err, &none):
				return message{}, badInput(render.NoSuchAPIKey(none.Prefix))
			case err != nil:
				return message{}, err
			}
			return ephemeral(render.APIKeyRevoked(k)), nil
		})
	}
	return usage
}

// parseNewAPIKey reads "<label> [form origins…]": the label is every word
// before "form" (a secret key when there is none).
func parseNewAPIKey(words []string) (sales.NewAPIKey, bool) {
	req := sales.NewAPIKey{Kind: sales.KeySecret}
	label := words
	for i, w := range words {
		if strings.EqualFold(w, sales.KeyForm) && i > 0 {
			req.Kind, label, req.AllowedOrigins = sales.KeyForm, words[:i], words[i+1:]
			break
		}
	}
	if len(label) == 0 {
		return sales.NewAPIKey{}, false
	}
	req.Label = strings.Join(label, " ")
	return req, true
}

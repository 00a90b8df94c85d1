package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/slack-go/slack"

	"salesbot/bot"
	"salesbot/outbox"
)

// authTries bounds how often servedTeam asks before giving up on a Slack
// that cannot be reached (1+2+4+8 s of waits): a process that does not know
// its workspace must not start working jobs.
const authTries = 5

// servedTeam asks Slack (auth.test) which workspace the bot token belongs
// to, the one workspace this process serves, and the bot's own user ID.
func servedTeam(ctx context.Context, api *bot.API, log *slog.Logger) (team, botUser string, err error) {
	wait := time.Second
	for try := 1; ; try++ {
		at, err := api.AuthTestContext(ctx)
		if err == nil {
			if verr := outbox.ValidTeam(at.TeamID); verr != nil {
				return "", "", fmt.Errorf("Slack's auth.test named the bot token's workspace: %w", verr)
			}
			return at.TeamID, at.UserID, nil
		}
		var se slack.SlackErrorResponse
		if errors.As(err, &se) {
			// invalid_auth, token_revoked, account_inactive: no retry helps.
			return "", "", &exitError{2, fmt.Errorf("Slack refused SLACK_BOT_TOKEN (auth.test: %s): %s", se.Err, helpTokens)}
		}
		if try == authTries || ctx.Err() != nil {
			return "", "", fmt.Errorf("ask Slack which workspace SLACK_BOT_TOKEN belongs to (auth.test at SLACK_API_URL): %w", err)
		}
		log.WarnContext(ctx, "auth.test failed, trying again", "error", err, "in", wait)
		select {
		case <-ctx.Done():
			return "", "", ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

const helpTokens = `see "Create the Slack app" in the README`

package bot

import (
	"context"
	"fmt"

	"salesbot/commands"
)

// tellFailure tells the person behind env that their request did not
// finish, unless the handler already told them (commands.Told).
func (b *Bot) tellFailure(ctx context.Context, env envelope, err error) {
	if commands.WasTold(err) || env.kind == "events_api" {
		// Events (the Home tab opening) were not asked for by anyone in
		// words; their failures are for the log.
		return
	}
	b.tell(ctx, env, failedText(env))
}

// failedText names what did not finish and what to do about it, without the
// error itself: that is for the log, not for the person.
func failedText(env envelope) string {
	what := "That"
	switch env.label {
	case "view_submission":
		what = "Your form"
	case "block_actions":
		what = "That button"
	case "shortcut":
		what = "That shortcut"
	case "":
	default:
		if env.kind == "slash_commands" {
			what = fmt.Sprintf("Your `%s` command", env.label)
		}
	}
	return fmt.Sprintf(":warning: %s did not finish: something failed on salesbot's side. "+
		"Check whether it happened before you try again in a minute; tell your admin if this keeps happening.", what)
}

package commands

import (
	"bytes"
	"context"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// shareChart uploads png to actor's DM with the bot and returns a line for
// the reply saying where it went (or that it could not be shared: the text
// above it has the same figures).
func (a *App) shareChart(ctx context.Context, actor pipeline.User, name, title string, png []byte) string {
	dm, _, _, err := a.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{actor.ID}, ReturnIM: true})
	if err == nil {
		_, err = a.slack.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(png), FileSize: len(png), Filename: name, Title: title,
			AltTxt: title, Channel: dm.ID,
		})
	}
	if err != nil {
		a.log.Warn("share chart", "team", actor.WorkspaceID, "user", actor.ID, "error", err)
		return render.ChartNotShared
	}
	return render.ChartShared
}

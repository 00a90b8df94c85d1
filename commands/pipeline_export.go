package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// maxSlackExport bounds an export shared in Slack, which is built in memory;
// the CLI streams any size.
const maxSlackExport = 50_000

// pipelineExport handles "/pipeline export [mine|team|all]": the deals the
// person may see, as a CSV file in their DM with salesbot.
func (a *App) pipelineExport(ctx context.Context, in SlashInput) Reply {
	want := ""
	if len(in.Args) > 0 {
		want = in.Args[0]
	}
	if len(in.Args) > 1 || want != "" && want != pipeline.ScopeMine && want != pipeline.ScopeTeam && want != pipeline.ScopeAll {
		return Reply{Ack: ephemeral(render.ExportUsage)}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		name := fmt.Sprintf("pipeline-%s.csv", a.now().UTC().Format("2006-01-02"))
		// The key is held until the file is in Slack: a redelivery waits
		// and sends nothing, and a failed upload frees the key for a retry.
		req := sales.ExportDeals{ReportRequest: sales.ReportRequest{Team: actor.WorkspaceID, Actor: actor, Scope: want},
			Limit: maxSlackExport, IdempotencyKey: in.key()}
		res, err := a.sales.ExportDeals(ctx, req, func(ctx context.Context, e sales.ExportedDeals) error {
			dm, _, _, err := a.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{actor.ID}, ReturnIM: true})
			if err != nil {
				return fmt.Errorf("export: open DM: %w", err)
			}
			if _, err := a.slack.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader: e.CSV, FileSize: e.CSV.Len(), Filename: name, Title: render.ExportTitle(e.Scope),
				Channel: dm.ID, InitialComment: render.ExportComment(e.Count),
			}); err != nil {
				return fmt.Errorf("export: upload: %w", err)
			}
			return nil
		})
		if errors.As(err, new(sales.ErrTooManyToExport)) {
			return message{}, badInput(render.TooManyToExport(maxSlackExport))
		}
		if err != nil {
			return message{}, err
		}
		return ephemeral(render.ExportDone(res.Count, name)), nil
	})
}

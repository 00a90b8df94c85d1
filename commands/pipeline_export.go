package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/slack-go/slack"

	"salesbot/leadcsv"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/store"
)

// maxSlackExport bounds an export shared in Slack, which is built in memory;
// the CLI streams any size.
const maxSlackExport = 50_000

// errExportTooBig is an export over the limit it was given.
var errExportTooBig = errors.New("export too big")

// ExportCSV writes the workspace's deals (only these owners' when owners is
// not nil) as CSV, by number, and returns how many it wrote; more than limit
// deals (when limit > 0) is an error. The columns are the import's plus
// number, currency, stage, created and closed, so that the file imports back.
func ExportCSV(ctx context.Context, st *store.Store, team string, owners []string, limit int, w io.Writer) (int, error) {
	cw := leadcsv.NewWriter(w)
	n := 0
	err := st.EachDeal(ctx, team, owners, func(d store.ExportDeal) error {
		if n++; limit > 0 && n > limit {
			return errExportTooBig
		}
		return cw.Write(leadcsv.ExportDeal{Deal: d.Deal, Industry: d.Industry, CompanySize: d.CompanySize})
	})
	if err != nil {
		return n, err
	}
	if err := cw.Flush(); err != nil {
		return n, fmt.Errorf("write CSV: %w", err)
	}
	return n, nil
}

// pipelineExport handles "/pipeline export [mine|team|all]": the deals the
// person may see, as a CSV file in their DM with salesbot.
func (a *App) pipelineExport(ctx context.Context, in SlashInput) Reply {
	want := ""
	if len(in.Args) > 0 {
		want = in.Args[0]
	}
	if len(in.Args) > 1 || want != "" && want != pipeline.ScopeMine && want != pipeline.ScopeTeam && want != pipeline.ScopeAll {
		return Reply{Ack: ephemeral("Usage: `/pipeline export [mine|team|all]`")}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		scope, err := a.scopeFor(ctx, actor, want)
		if err != nil {
			return message{}, err
		}
		var buf bytes.Buffer
		var n int
		name := fmt.Sprintf("pipeline-%s.csv", a.now().UTC().Format("2006-01-02"))
		// The key is held until the file is in Slack: a redelivery waits
		// and sends nothing, and a failed upload frees the key for a retry.
		err = a.once(ctx, actor.WorkspaceID, in.key(), func() error {
			var err error
			n, err = ExportCSV(ctx, a.store, actor.WorkspaceID, scope.Owners, maxSlackExport, &buf)
			if errors.Is(err, errExportTooBig) {
				return badInput("That is more than %d deals, too many for a file in Slack; an admin can run `salesbot export` on the server.", maxSlackExport)
			}
			if err != nil {
				return err
			}
			dm, _, _, err := a.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{actor.ID}, ReturnIM: true})
			if err != nil {
				return fmt.Errorf("export: open DM: %w", err)
			}
			if _, err := a.slack.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader: &buf, FileSize: buf.Len(), Filename: name, Title: "Pipeline export — " + scopeTitle(scope),
				Channel: dm.ID, InitialComment: fmt.Sprintf("%s: `/lead import` or `salesbot import` reads it back.", render.Plural(n, "deal")),
			}); err != nil {
				return fmt.Errorf("export: upload: %w", err)
			}
			return nil
		})
		if err != nil {
			return message{}, err
		}
		return ephemeral(fmt.Sprintf(":page_facing_up: %s exported to `%s` in your DM with salesbot.", render.Plural(n, "deal"), name)), nil
	})
}

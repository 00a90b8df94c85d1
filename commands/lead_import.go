package commands

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/leadcsv"
	"salesbot/render"
	"salesbot/sales"
)

// leadImport handles "/lead import": a modal to paste CSV into.
func (a *App) leadImport(ctx context.Context, in SlashInput) Reply {
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		return a.openModal(ctx, in.TriggerID, render.ImportModal(),
			modalOpen{Form: render.FormImport, responseURL: in.ResponseURL, user: in.UserID})
	}}
}

// leadImportSubmit checks the pasted file's header before the ack (a bad
// header comes back under the input), then imports after it and sends the
// report by DM.
func (a *App) leadImportSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	text := stateValue(cb.View.State, render.InCSV).Value
	rows, bad, err := leadcsv.Read(strings.NewReader(text))
	switch {
	case err != nil:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InCSV: render.ImportBadFile(err)})}
	case len(rows)+len(bad) == 0:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InCSV: render.ImportNoRows})}
	}
	team, user, key := cb.Team.ID, cb.User.ID, "view:"+cb.View.ID
	return Reply{Later: func(ctx context.Context) error {
		rep, err := a.ImportCSV(ctx, team, user, strings.NewReader(text))
		if err == nil {
			// Every row is keyed by its data, so a redelivery imports
			// nothing again; the key keeps it from reporting again.
			cerr := a.sales.Once(ctx, team, key, func() error { return nil })
			if errors.Is(cerr, sales.ErrDuplicate) {
				return nil
			}
			if cerr != nil {
				a.log.Warn("import: report not recorded as sent", "team", team, "user", user, "error", cerr)
			}
		}
		failed := ""
		if err != nil {
			failed = a.userError(err, team, user)
		}
		_, _, perr := a.slack.PostMessageContext(ctx, user, slack.MsgOptionText(render.ImportFinished(rep, failed), false))
		if perr == nil {
			return Told(err) // the report says what went wrong
		}
		return errors.Join(err, perr)
	}}
}

// ImportCSV imports the leads of a CSV file into the workspace on behalf of
// importer (see salesdb.Service.ImportLeads), then redraws the Home tabs of
// the people whose deals changed.
func (a *App) ImportCSV(ctx context.Context, team, importer string, r io.Reader) (leadcsv.Report, error) {
	res, err := a.sales.ImportLeads(ctx, team, importer, r)
	a.dealsChanged(context.WithoutCancel(ctx), team, res.Owners...)
	return res.Report, err
}

package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/leadcsv"
	"salesbot/pipeline"
	"salesbot/render"
)

// The /lead import modal.
const (
	cbImport = "lead_import"
	inCSV    = "csv"
	// maxPastedCSV is Slack's limit for a text input.
	maxPastedCSV = 3000
)

// leadImport handles "/lead import": a modal to paste CSV into.
func (a *App) leadImport(ctx context.Context, in SlashInput) Reply {
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		return a.openModal(ctx, in.TriggerID, importModal(),
			modalOpen{form: "CSV import", again: "run `/lead import` again", responseURL: in.ResponseURL, user: in.UserID})
	}}
}

func importModal() slack.ModalViewRequest {
	el := slack.NewPlainTextInputBlockElement(render.Plain("company,contact email,value\nAcme,ann@acme.com,12500"), inCSV)
	el.Multiline, el.MaxLength = true, maxPastedCSV
	hint := fmt.Sprintf("Header line first. Columns: %s (the New lead labels work too). Up to %d characters here; import bigger files with `salesbot import --file`.",
		strings.Join(leadcsv.Columns, ", "), maxPastedCSV)
	in := slack.NewInputBlock(inCSV, render.Plain("CSV rows"), render.Plain(hint), el)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: cbImport,
		Title: render.Plain("Import leads"), Submit: render.Plain("Import"), Close: render.Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{in}},
	}
}

// leadImportSubmit checks the pasted file's header before the ack (a bad
// header comes back under the input), then imports after it and sends the
// report by DM.
func (a *App) leadImportSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	text := stateValue(cb.View.State, inCSV).Value
	rows, bad, err := leadcsv.Read(strings.NewReader(text))
	switch {
	case err != nil:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{inCSV: render.Clip(render.Capitalize(err.Error())+".", 1000)})}
	case len(rows)+len(bad) == 0:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{inCSV: "Add at least one row under the header line."})}
	}
	team, user, key := cb.Team.ID, cb.User.ID, "view:"+cb.View.ID
	return Reply{Later: func(ctx context.Context) error {
		rep, err := a.ImportCSV(ctx, team, user, strings.NewReader(text))
		if err == nil {
			// Every row is keyed by its data, so a redelivery imports
			// nothing again; the key keeps it from reporting again.
			cerr := a.once(ctx, team, key, func() error { return nil })
			if errors.Is(cerr, errDuplicate) {
				return nil
			}
			if cerr != nil {
				a.log.Warn("import: report not recorded as sent", "team", team, "user", user, "error", cerr)
			}
		}
		msg := ":inbox_tray: *Import finished:* " + importReportText(rep)
		if err != nil {
			msg = ":warning: " + a.userError(err, team, user) + "\nLines before the problem were imported; run the same import again to finish (it creates nothing twice).\n" + importReportText(rep)
		}
		_, _, perr := a.slack.PostMessageContext(ctx, user, slack.MsgOptionText(render.Clip(msg, 3000), false))
		if perr == nil {
			return Told(err) // the report says what went wrong
		}
		return errors.Join(err, perr)
	}}
}

// importReportText is the report for Slack, short enough for one message.
func importReportText(r leadcsv.Report) string {
	lines := r.Lines(15)
	if len(r.Created) > 0 {
		refs := make([]string, 0, 20)
		for i, c := range r.Created {
			if i == 20 {
				refs = append(refs, fmt.Sprintf("…and %d more", len(r.Created)-20))
				break
			}
			refs = append(refs, pipeline.FormatRef(c.Number))
		}
		lines = append(lines, "Created: "+strings.Join(refs, ", "))
	}
	return render.Escape(strings.Join(lines, "\n"))
}

// ImportCSV imports the leads of a CSV file into the workspace on behalf of
// importer (see sales.Service.ImportLeads), then redraws the Home tabs of
// the people whose deals changed.
func (a *App) ImportCSV(ctx context.Context, team, importer string, r io.Reader) (leadcsv.Report, error) {
	res, err := a.sales.ImportLeads(ctx, team, importer, r)
	a.dealsChanged(context.WithoutCancel(ctx), team, res.Owners...)
	return res.Report, err
}

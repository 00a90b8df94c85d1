package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// leadMeta travels in the modal's private_metadata: where to answer, and the
// currency to read amounts in, so that validating a submission needs no
// database round trip before the ack.
type leadMeta struct {
	Channel  string `json:"ch,omitempty"`
	Currency string `json:"cur"`
}

// leadNew opens the New lead modal. The trigger_id is only valid for three
// seconds, so the modal opens first and nothing else happens before it.
func (a *App) leadNew(ctx context.Context, in SlashInput) Reply {
	company := render.Clip(in.Rest, pipeline.MaxNameLen)
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		meta := leadMeta{Channel: in.ChannelID, Currency: a.currency(ctx, in.TeamID)}
		return a.openModal(ctx, in.TriggerID, leadModal(company, meta),
			modalOpen{Form: render.FormNewLead, responseURL: in.ResponseURL, user: in.UserID})
	}}
}

// currency is the workspace's currency, or the default when the database
// cannot say quickly: opening the form must not wait on a slow database.
func (a *App) currency(ctx context.Context, teamID string) string {
	ctx, cancel := context.WithTimeout(ctx, fastDBTimeout)
	defer cancel()
	s, err := a.sales.Settings(ctx, teamID)
	if err != nil {
		a.log.Warn("workspace settings unavailable, using defaults", "team", teamID, "error", err)
		return a.defaults.Currency
	}
	return s.Currency
}

// leadNewSubmit validates the New lead form and, when it is valid, closes the
// modal at once and stores the lead after the ack.
func (a *App) leadNewSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	var meta leadMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || !pipeline.ValidCurrency(meta.Currency) {
		meta.Currency = a.defaults.Currency
	}
	form := readLeadForm(cb.View.State)
	lead, errs := pipeline.ValidateLead(form, meta.Currency)
	if msg := pipeline.CloseDateInPast(lead.ExpectedClose, a.now()); msg != "" {
		if errs == nil {
			errs = pipeline.FieldErrors{}
		}
		errs[pipeline.FieldExpectedClose] = msg
	}
	if len(errs) > 0 {
		return Reply{Ack: inlineErrors(errs)}
	}
	lead.WorkspaceID = cb.Team.ID
	lead.CreatedBy = cb.User.ID // an empty owner is routed (sales.CreateLead)
	// The view ID is the same on every delivery of this submission, and a
	// modal is submitted successfully only once: it keys the deal.
	lead.IdempotencyKey = "view:" + cb.View.ID
	return Reply{Later: func(ctx context.Context) error {
		return a.storeLead(ctx, lead, meta)
	}}
}

func (a *App) storeLead(ctx context.Context, lead pipeline.NewLead, meta leadMeta) error {
	dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
	defer cancel()
	res, err := a.sales.CreateLead(dbctx, lead)
	if err != nil {
		return a.tellSaveFailed(ctx, lead, err)
	}
	deal := res.Deal
	if !res.Created {
		a.log.Info("duplicate lead submission ignored", "team", lead.WorkspaceID, "deal", deal.Ref())
		return nil
	}
	a.log.Info("lead created", "team", lead.WorkspaceID, "user", lead.CreatedBy, "deal", deal.Ref())
	m := render.LeadCreated(deal, lead.CreatedBy, a.now())
	_, _, err = a.slack.PostMessageContext(ctx, lead.CreatedBy, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	// After the confirmation, which is what the person waits for.
	a.dealsChanged(dbctx, lead.WorkspaceID, deal.OwnerID, lead.CreatedBy)
	if err != nil {
		return fmt.Errorf("confirm lead %s: %w", deal.Ref(), err)
	}
	return nil
}

// tellSaveFailed tells the submitter their lead was not saved, so that a
// database outage never looks like success.
func (a *App) tellSaveFailed(ctx context.Context, lead pipeline.NewLead, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tellTimeout)
	defer cancel()
	if invalid := (*sales.ValidationError)(nil); errors.As(cause, &invalid) {
		// Not expected from the validated form, but then say what is wrong.
		_, _, err := a.slack.PostMessageContext(ctx, lead.CreatedBy, slack.MsgOptionText(render.LeadNotSaved(lead.Company, invalid), false))
		return errors.Join(Told(cause), err)
	}
	if _, _, err := a.slack.PostMessageContext(ctx, lead.CreatedBy, slack.MsgOptionText(render.LeadNotSaved(lead.Company, nil), false)); err != nil {
		return errors.Join(fmt.Errorf("store lead: %w", cause), fmt.Errorf("tell user: %w", err))
	}
	return fmt.Errorf("store lead: %w", cause)
}

// readLeadForm reads the modal's state; block and action IDs are the field names.
func readLeadForm(st *slack.ViewState) pipeline.LeadForm {
	v := func(f pipeline.LeadField) slack.BlockAction { return stateValue(st, string(f)) }
	return pipeline.LeadForm{
		Company:       v(pipeline.FieldCompany).Value,
		Title:         v(pipeline.FieldTitle).Value,
		ContactName:   v(pipeline.FieldContactName).Value,
		ContactEmail:  v(pipeline.FieldContactEmail).Value,
		Industry:      v(pipeline.FieldIndustry).Value,
		CompanySize:   v(pipeline.FieldCompanySize).SelectedOption.Value,
		Source:        v(pipeline.FieldSource).SelectedOption.Value,
		Value:         v(pipeline.FieldValue).Value,
		ExpectedClose: v(pipeline.FieldExpectedClose).SelectedDate,
		OwnerID:       v(pipeline.FieldOwner).SelectedUser,
		Notes:         v(pipeline.FieldNotes).Value,
	}
}

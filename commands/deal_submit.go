package commands

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// change is the work a valid card modal does after the ack: it returns the
// changed deal and a one-line summary.
type change func(ctx context.Context, actor pipeline.User, st pipeline.Settings, key string) (pipeline.Deal, string, error)

// dealModalSubmit validates a card modal and, when it is valid, closes it at
// once and applies the change after the ack.
func (a *App) dealModalSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	ref, err := decodeCardRef(cb.View.PrivateMetadata)
	if err != nil {
		a.log.Warn("card modal without a deal", "callback_id", cb.View.CallbackID, "error", err)
		return Reply{}
	}
	val := func(id string) slack.BlockAction { return stateValue(cb.View.State, id) }
	errs := map[string]string{}
	var apply change
	var keep []slack.Block // a close's Keep button, under the redrawn card
	switch cb.View.CallbackID {
	case render.CbMove:
		m := pipeline.Move{To: pipeline.Stage(val(render.InStage).SelectedOption.Value), Reason: val(render.InReason).Value}
		m.Amount = readAmount(val(render.InAmount).Value, ref.Currency, m.To == pipeline.StageWon, errs)
		if m.To == pipeline.StageLost && strings.TrimSpace(m.Reason) == "" {
			errs[render.InReason] = render.LostNeedsReason
		}
		apply = a.moveChange(ref, m, &keep)
	case render.CbWon:
		m := pipeline.Move{To: pipeline.StageWon, Amount: readAmount(val(render.InAmount).Value, ref.Currency, true, errs)}
		apply = a.moveChange(ref, m, &keep)
	case render.CbLost:
		m := pipeline.Move{To: pipeline.StageLost, Reason: strings.TrimSpace(val(render.InReason).Value)}
		if m.Reason == "" {
			errs[render.InReason] = render.LostNeedsReason
		} else if n := utf8.RuneCountInString(m.Reason); n > pipeline.MaxReasonLen {
			errs[render.InReason] = render.TooLong("reason", n, pipeline.MaxReasonLen)
		}
		apply = a.moveChange(ref, m, &keep)
	case render.CbNote:
		kind, body := val(render.InKind).SelectedOption.Value, strings.TrimSpace(val(render.InBody).Value)
		if !slices.Contains(sales.ActivityKinds, kind) {
			errs[render.InKind] = render.ChooseKind
		}
		if body == "" {
			errs[render.InBody] = render.SayWhatHappened
		} else if n := utf8.RuneCountInString(body); n > pipeline.MaxNotesLen {
			errs[render.InBody] = render.NoteTooLong(n, pipeline.MaxNotesLen)
		}
		apply = func(ctx context.Context, actor pipeline.User, _ pipeline.Settings, key string) (pipeline.Deal, string, error) {
			d, err := a.addActivity(ctx, actor, ref.Number, kind, body, key)
			return d, render.NoteLogged(d, kind), err
		}
	case render.CbFollowup:
		loc := pipeline.Zone(ref.TZ)
		due, note, err := pipeline.ParseWhen(val(render.InWhen).Value, a.now(), loc)
		if err != nil {
			errs[render.InWhen] = render.FieldError(err, false)
		}
		if extra := strings.TrimSpace(val(render.InNote).Value); extra != "" {
			note = strings.TrimSpace(note + " " + extra)
		}
		apply = func(ctx context.Context, actor pipeline.User, _ pipeline.Settings, key string) (pipeline.Deal, string, error) {
			d, err := a.addFollowUp(ctx, actor, ref.Number, due, note, key)
			if closed := (sales.ErrDealClosed{}); errors.As(err, &closed) {
				return d, "", a.askClosedFollowUp(ctx, cb, closed, due, note, loc)
			}
			return d, render.FollowUpSet(d, due, loc), err
		}
	case render.CbEdit:
		form := readEditForm(cb.View.State)
		// The fields are checked here against an empty deal; what changed is
		// worked out against the stored deal after the ack.
		if _, _, fe := pipeline.ValidateEdit(pipeline.Deal{AccountName: "-", Value: pipeline.Money{Currency: ref.Currency}}, form); len(fe) > 0 {
			for f, msg := range fe {
				errs[string(f)] = msg
			}
		}
		pastCloseDate(ref.Close, form.ExpectedClose, a.now(), errs)
		apply = a.editChange(ref.Number, form)
	default:
		return Reply{}
	}
	if len(errs) > 0 {
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(errs)}
	}
	return a.applyCardChangeWith(cb, ref, apply, &keep)
}

// applyCardChange is the after-ack half of every valid card modal: apply the
// change once (the view ID, the same on every delivery of the submission,
// keys it), then redraw the card or say what went wrong.
func (a *App) applyCardChange(cb slack.InteractionCallback, ref cardRef, apply change) Reply {
	return a.applyCardChangeWith(cb, ref, apply, nil)
}

// applyCardChangeWith is applyCardChange with blocks the change adds under
// the redrawn card (extra, filled by apply).
func (a *App) applyCardChangeWith(cb slack.InteractionCallback, ref cardRef, apply change, extra *[]slack.Block) Reply {
	key := "view:" + cb.View.ID
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		actor, st, err := a.sales.Actor(dbctx, cb.Team.ID, cb.User.ID)
		var d pipeline.Deal
		var summary string
		if err == nil {
			d, summary, err = apply(dbctx, actor, st, key)
		}
		if errors.Is(err, sales.ErrDuplicate) || errors.Is(err, errAnswered) {
			return nil
		}
		if err != nil {
			return a.tell(ctx, ref.ResponseURL, cb.User.ID, ephemeral(a.userError(err, cb.Team.ID, cb.User.ID)))
		}
		if extra != nil {
			return a.afterCardChange(ctx, actor, ref, d, summary, *extra...)
		}
		return a.afterCardChange(ctx, actor, ref, d, summary)
	}}
}

// inlineErrors is validation's verdict as Slack wants it: an error under each
// input, keyed by its block ID (the field's name).
func inlineErrors(fe pipeline.FieldErrors) *slack.ViewSubmissionResponse {
	byBlock := make(map[string]string, len(fe))
	for f, msg := range fe {
		byBlock[string(f)] = msg
	}
	return slack.NewErrorsViewSubmissionResponse(byBlock)
}

func (a *App) moveChange(ref cardRef, m pipeline.Move, keep *[]slack.Block) change {
	return func(ctx context.Context, actor pipeline.User, st pipeline.Settings, key string) (pipeline.Deal, string, error) {
		res, err := a.sales.MoveDeal(ctx, sales.MoveDeal{Team: actor.WorkspaceID, Actor: actor, Number: ref.Number, Move: m, IdempotencyKey: key})
		if b := render.KeepFollowUpsBlock(res.After.Number, res.ClosedFollowUps); err == nil && b != nil {
			*keep = append(*keep, b)
		}
		return res.After, closingSummary(res), err
	}
}

func (a *App) editChange(n int64, form pipeline.EditForm) change {
	return func(ctx context.Context, actor pipeline.User, _ pipeline.Settings, key string) (pipeline.Deal, string, error) {
		res, err := a.sales.EditDeal(ctx, sales.EditDeal{Team: actor.WorkspaceID, Actor: actor, Number: n, Form: form, IdempotencyKey: key})
		if err != nil {
			return pipeline.Deal{}, "", err
		}
		return res.After, render.Edited(res), nil
	}
}

// readAmount reads an optional amount field into errs' terms.
func readAmount(s, currency string, allowed bool, errs map[string]string) *pipeline.Money {
	s = strings.TrimSpace(s)
	if s == "" || !allowed {
		return nil
	}
	m, err := pipeline.ParseAmount(s, currency)
	if err != nil {
		errs[render.InAmount] = render.FieldError(err, true)
		return nil
	}
	return &m
}

func stateValue(st *slack.ViewState, id string) slack.BlockAction {
	if st == nil {
		return slack.BlockAction{}
	}
	return st.Values[id][id]
}

func readEditForm(st *slack.ViewState) pipeline.EditForm {
	v := func(f pipeline.LeadField) slack.BlockAction { return stateValue(st, string(f)) }
	return pipeline.EditForm{
		Title:         v(pipeline.FieldTitle).Value,
		Value:         v(pipeline.FieldValue).Value,
		Recurring:     len(v(pipeline.FieldRecurring).SelectedOptions) > 0,
		ExpectedClose: v(pipeline.FieldExpectedClose).SelectedDate,
		Source:        v(pipeline.FieldSource).SelectedOption.Value,
		ContactName:   v(pipeline.FieldContactName).Value,
		ContactEmail:  v(pipeline.FieldContactEmail).Value,
		Discount:      discountInput(st),
	}
}

// discountInput is the edit form's discount as typed; nil when the form
// has none (opened before it had one), which keeps the deal's.
func discountInput(st *slack.ViewState) *string {
	if st == nil {
		return nil
	}
	if _, ok := st.Values[string(pipeline.FieldDiscount)]; !ok {
		return nil
	}
	v := stateValue(st, string(pipeline.FieldDiscount)).Value
	return &v
}

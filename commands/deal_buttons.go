package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// cardRef travels in a modal opened from a deal card's button: which deal,
// and where the card is, so it can be redrawn after the change.
type cardRef struct {
	Number      int64  `json:"n"`
	ResponseURL string `json:"ru,omitempty"`
	Channel     string `json:"ch,omitempty"`
	TS          string `json:"ts,omitempty"`
	Currency    string `json:"cur,omitempty"`
	TZ          string `json:"tz,omitempty"`
	Keep        bool   `json:"k,omitempty"` // answer beside the message instead of redrawing it
	Close       string `json:"c,omitempty"` // the expected close date the form opened with (YYYY-MM-DD)
}

func (r cardRef) encode() string { b, _ := json.Marshal(r); return string(b) }

func decodeCardRef(s string) (cardRef, error) {
	var r cardRef
	if err := json.Unmarshal([]byte(s), &r); err != nil || r.Number <= 0 {
		return r, fmt.Errorf("modal metadata %q is not a deal reference", render.Clip(s, 80))
	}
	return r, nil
}

// blockAction routes a button click or menu choice by its action ID.
func (a *App) blockAction(ctx context.Context, cb slack.InteractionCallback) Reply {
	if len(cb.ActionCallback.BlockActions) == 0 {
		return Reply{}
	}
	act := cb.ActionCallback.BlockActions[0]
	n, err := strconv.ParseInt(act.Value, 10, 64)
	ref := cardRef{Number: n, ResponseURL: cb.ResponseURL, Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs,
		// Only a deal card is redrawn in place; a button on another message
		// (a morning alert listing several deals) must leave it whole.
		Keep: !strings.HasPrefix(act.BlockID, "deal:")}
	if err != nil && act.ActionID != "" {
		a.log.Warn("button without a deal number", "action", act.ActionID, "value", render.Clip(act.Value, 40))
		return Reply{}
	}
	switch act.ActionID {
	case render.ActMove, render.ActWon, render.ActLost, render.ActNote, render.ActFollowup, render.ActEdit:
		return a.openDealModal(cb, act.ActionID, ref)
	case render.ActHistory:
		return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
			return a.historyMessage(ctx, actor, n)
		})
	case render.ActOpen:
		return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
			d, err := a.sales.Deal(ctx, actor, n)
			if err != nil {
				return message{}, err
			}
			return a.cardMessage(ctx, actor, d, "")
		})
	case render.ActRequestApproval:
		return a.openRequestApproval(cb, ref)
	case render.ActOpenRoom:
		return a.openRoomButton(cb, n)
	case render.ActApprovalApprove, render.ActApprovalReject:
		return a.approvalButton(cb, n, act.ActionID == render.ActApprovalApprove)
	case render.ActAccept, render.ActReject:
		return a.answerHandoff(cb, n, act.ActionID == render.ActAccept)
	case render.ActionFollowUpDone, render.ActionFollowUpSnooze, render.ActionDealSnooze:
		return a.alertButton(cb, act.ActionID, n)
	}
	a.log.Debug("unhandled action", "action", act.ActionID, "team", cb.Team.ID)
	return Reply{}
}

// buttonReply answers a click with a new ephemeral message, leaving the
// message the button sits on as it is.
func (a *App) buttonReply(cb slack.InteractionCallback, work func(context.Context, pipeline.User) (message, error)) Reply {
	return a.afterAck(cb.Team.ID, cb.User.ID, func(ctx context.Context, m message) error {
		m.ResponseType = slack.ResponseTypeEphemeral
		return a.tell(ctx, cb.ResponseURL, cb.User.ID, m)
	}, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		return work(ctx, actor)
	})
}

// tell answers a person through responseURL when there is one, else by DM.
func (a *App) tell(ctx context.Context, responseURL, userID string, m message) error {
	if responseURL != "" {
		return a.respond(ctx, responseURL, m)
	}
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.Blocks...))
	}
	_, _, err := a.slack.PostMessageContext(ctx, userID, opts...)
	return err
}

// openDealModal opens the modal behind a card button. The deal is read
// first (the modal shows its current values), within the trigger's 3 s.
func (a *App) openDealModal(cb slack.InteractionCallback, action string, ref cardRef) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		defer cancel()
		actor, st, err := a.sales.Actor(dbctx, cb.Team.ID, cb.User.ID)
		var d pipeline.Deal
		var stages []pipeline.StageDef
		if err == nil {
			d, err = a.sales.Deal(dbctx, actor, ref.Number)
		}
		if err == nil {
			stages, err = a.sales.Stages(dbctx, actor.WorkspaceID)
		}
		if err != nil {
			return a.tell(ctx, cb.ResponseURL, cb.User.ID, ephemeral(a.userError(err, cb.Team.ID, cb.User.ID)))
		}
		ref.Currency, ref.TZ = st.Currency, a.userLocation(dbctx, actor).String()
		if d.ExpectedClose != nil {
			ref.Close = d.ExpectedClose.Format(time.DateOnly)
		}
		view := render.DealModal(action, d, stages, sales.ActivityKinds, pipeline.Zone(ref.TZ).String(), ref.encode())
		form := render.Form{Name: render.ModalTitle(view), Again: render.FormAgainByButton}
		if cb.Type == "" { // typed, not clicked: /deal edit
			form.Again = render.FormEditAgain(d)
		}
		return a.openModal(ctx, cb.TriggerID, view, modalOpen{Form: form, responseURL: cb.ResponseURL, user: cb.User.ID})
	}}
}

// afterCardChange redraws the card the change started from, so it never
// shows stale data, and tells the person what happened.
func (a *App) afterCardChange(ctx context.Context, actor pipeline.User, ref cardRef, d pipeline.Deal, summary string, extra ...slack.Block) error {
	m, err := a.changedCard(ctx, actor, d, summary)
	if err != nil {
		return err
	}
	m.Blocks = append(m.Blocks, extra...)
	if ref.ResponseURL != "" {
		m.ReplaceOriginal = !ref.Keep
		if err := a.respond(ctx, ref.ResponseURL, m); err == nil {
			return nil
		}
	}
	if ref.Channel != "" && ref.TS != "" && !ref.Keep {
		_, _, _, err := a.slack.UpdateMessageContext(ctx, ref.Channel, ref.TS, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
		if err == nil {
			return nil
		}
	}
	return a.tell(ctx, "", actor.ID, m)
}

package commands

import (
	"salesbot/pipeline"
	"salesbot/render"

	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/sales"
)

const cbNotify = "notify"

// Notify modal block IDs; each kind's switch is "notify_<kind>".
const (
	inQuietStart   = "quiet_start"
	inQuietEnd     = "quiet_end"
	inNotifyPrefix = "notify_"
)

// salesbotNotify handles "/salesbot notify": the person's own choice of
// DMs and quiet hours.
func (a *App) salesbotNotify(ctx context.Context, in SlashInput) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		defer cancel()
		actor, _, err := a.actor(dbctx, in.TeamID, in.UserID)
		var choices sales.NotifyChoices
		if err == nil {
			choices, err = a.sales.NotifyChoices(dbctx, actor)
		}
		if err != nil {
			return a.respond(ctx, in.ResponseURL, ephemeral(a.userError(err, in.TeamID, in.UserID)))
		}
		return a.openModal(ctx, in.TriggerID, notifyModal(choices),
			modalOpen{form: "notification settings", again: "run `/salesbot notify` again", responseURL: in.ResponseURL, user: in.UserID})
	}}
}

func notifyModal(r sales.NotifyChoices) slack.ModalViewRequest {
	blocks := []slack.Block{
		slack.NewSectionBlock(render.Mrkdwn("Choose the DMs salesbot sends you. Messages that fall in your quiet hours wait until they end."), nil, nil),
	}
	for _, k := range pipeline.NotifyKinds {
		id := inNotifyPrefix + k.Name
		on := slack.NewOptionBlockObject("on", render.Plain("On"), nil)
		off := slack.NewOptionBlockObject("off", render.Plain("Off"), nil)
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, render.Plain("On or off"), id, on, off)
		el.InitialOption = on
		if !r.Want(k.Name) {
			el.InitialOption = off
		}
		blocks = append(blocks, field(id, k.Label, "", el, false))
	}
	blocks = append(blocks,
		field(inQuietStart, "Quiet hours from", "HH:MM in your own timezone, such as 20:00. Empty: no quiet hours.", textEl(inQuietStart, "20:00", r.QuietStart, 5, false), true),
		field(inQuietEnd, "Quiet hours until", "HH:MM, such as 08:00: your morning.", textEl(inQuietEnd, "08:00", r.QuietEnd, 5, false), true))
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: cbNotify,
		Title: render.Plain("Notifications"), Submit: render.Plain("Save"), Close: render.Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// notifySubmit validates the notify form and saves it after the ack.
func (a *App) notifySubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	val := func(id string) string { return strings.TrimSpace(stateValue(cb.View.State, id).Value) }
	errs := map[string]string{}
	start, end := val(inQuietStart), val(inQuietEnd)
	clock := func(id, v string) string {
		if v == "" {
			return ""
		}
		h, m, ok := pipeline.ParseClock(v)
		if !ok {
			errs[id] = fmt.Sprintf("%q is not a time: use HH:MM, such as 20:00.", render.Clip(v, 20))
			return v
		}
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	start, end = clock(inQuietStart, start), clock(inQuietEnd, end)
	switch {
	case start == "" && end != "":
		errs[inQuietStart] = "Say when your quiet hours start, or leave both empty."
	case start != "" && end == "":
		errs[inQuietEnd] = "Say when your quiet hours end, or leave both empty."
	case start != "" && start == end:
		errs[inQuietEnd] = "Quiet hours must end at another time than they start."
	}
	if len(errs) > 0 {
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(errs)}
	}
	wants := map[string]bool{}
	for _, k := range pipeline.NotifyKinds {
		wants[k.Name] = stateValue(cb.View.State, inNotifyPrefix+k.Name).SelectedOption.Value != "off"
	}
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		actor, _, err := a.actor(dbctx, cb.Team.ID, cb.User.ID)
		if err == nil {
			err = a.sales.SetNotify(dbctx, sales.SetNotify{Team: actor.WorkspaceID, Actor: actor, Wants: wants,
				QuietStart: start, QuietEnd: end, IdempotencyKey: "view:" + cb.View.ID})
		}
		if errors.Is(err, errDuplicate) {
			return nil // a redelivery: the first delivery answered
		}
		text := ":white_check_mark: Notification choices saved."
		if start != "" {
			text += fmt.Sprintf(" Quiet hours %s–%s.", start, end)
		}
		if err != nil {
			text = a.userError(err, cb.Team.ID, cb.User.ID)
		}
		return a.tell(ctx, "", cb.User.ID, ephemeral(text))
	}}
}

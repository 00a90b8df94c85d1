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
		return a.openModal(ctx, in.TriggerID, render.NotifyModal(choices),
			modalOpen{form: "notification settings", again: "run `/salesbot notify` again", responseURL: in.ResponseURL, user: in.UserID})
	}}
}

// notifySubmit validates the notify form and saves it after the ack.
func (a *App) notifySubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	val := func(id string) string { return strings.TrimSpace(stateValue(cb.View.State, id).Value) }
	errs := map[string]string{}
	start, end := val(render.InQuietStart), val(render.InQuietEnd)
	clock := func(id, v string) string {
		if v == "" {
			return ""
		}
		h, m, ok := pipeline.ParseClock(v)
		if !ok {
			errs[id] = render.BadClock(v, "20:00")
			return v
		}
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	start, end = clock(render.InQuietStart, start), clock(render.InQuietEnd, end)
	switch {
	case start == "" && end != "":
		errs[render.InQuietStart] = render.QuietNoStart
	case start != "" && end == "":
		errs[render.InQuietEnd] = render.QuietNoEnd
	case start != "" && start == end:
		errs[render.InQuietEnd] = render.QuietSame
	}
	if len(errs) > 0 {
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(errs)}
	}
	wants := map[string]bool{}
	for _, k := range pipeline.NotifyKinds {
		wants[k.Name] = stateValue(cb.View.State, render.InNotifyPrefix+k.Name).SelectedOption.Value != "off"
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
		text := render.NotifySaved(start, end)
		if err != nil {
			text = a.userError(err, cb.Team.ID, cb.User.ID)
		}
		return a.tell(ctx, "", cb.User.ID, ephemeral(text))
	}}
}

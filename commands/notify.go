package commands

import (
	"salesbot/pipeline"
	"salesbot/render"

	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/sales"
)

// salesbotNotify handles "/salesbot notify": the person's own choice of
// DMs and quiet hours.
func (a *App) salesbotNotify(ctx context.Context, in SlashInput) Reply {
	return a.openForm(in, render.FormNotify, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (slack.ModalViewRequest, error) {
		choices, err := a.sales.NotifyChoices(ctx, actor)
		return render.NotifyModal(choices), err
	})
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
	return a.saveLater(cb, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (string, error) {
		return render.NotifySaved(start, end), a.sales.SetNotify(ctx, sales.SetNotify{Team: actor.WorkspaceID, Actor: actor, Wants: wants,
			QuietStart: start, QuietEnd: end, IdempotencyKey: "view:" + cb.View.ID})
	})
}

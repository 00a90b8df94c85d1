package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// salesbotRole handles "/salesbot role @user rep|manager|admin".
func (a *App) salesbotRole(ctx context.Context, in SlashInput) Reply {
	user, role, err := parseRole(in.Args)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		if err := a.sales.SetRole(ctx, sales.SetRole{Team: actor.WorkspaceID, Actor: actor, User: user, Role: role,
			IdempotencyKey: in.key()}); err != nil {
			return message{}, err
		}
		return ephemeral(fmt.Sprintf(":white_check_mark: %s is now a %s.", render.UserMention(user), role)), nil
	})
}

// salesbotTeam handles "/salesbot team @manager @rep…".
func (a *App) salesbotTeam(ctx context.Context, in SlashInput) Reply {
	manager, reps, err := parseTeam(in.Args)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		if err := a.sales.SetTeam(ctx, sales.SetTeam{Team: actor.WorkspaceID, Actor: actor, Manager: manager, Reps: reps,
			IdempotencyKey: in.key()}); err != nil {
			return message{}, err
		}
		names := make([]string, len(reps))
		for i, r := range reps {
			names[i] = render.UserMention(r)
		}
		return ephemeral(fmt.Sprintf(":busts_in_silhouette: %s now manages %s.", render.UserMention(manager), strings.Join(names, ", "))), nil
	})
}

const cbSettings = "settings"

// Settings modal block IDs.
const (
	inCelebration = "celebration_channel"
	inDigest      = "digest_channel"
	inAlerts      = "alerts_channel"
	inTimezone    = "timezone"
	inCurrency    = "currency"
)

// salesbotSettings handles "/salesbot settings" (admins): the settings modal.
func (a *App) salesbotSettings(ctx context.Context, in SlashInput) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		defer cancel()
		actor, st, err := a.actor(dbctx, in.TeamID, in.UserID)
		if err == nil {
			err = pipeline.AuthorizeAdmin(actor)
		}
		if err != nil {
			return a.respond(ctx, in.ResponseURL, ephemeral(a.userError(err, in.TeamID, in.UserID)))
		}
		stages, err := a.sales.Stages(dbctx, st.WorkspaceID)
		if err != nil {
			return a.respond(ctx, in.ResponseURL, ephemeral(a.userError(err, in.TeamID, in.UserID)))
		}
		view := settingsModal(st)
		view.Blocks.BlockSet = append(view.Blocks.BlockSet, scheduleSettingsBlocks(st, stages)...)
		return a.openModal(ctx, in.TriggerID, view,
			modalOpen{form: "Settings", again: "run `/salesbot settings` again", responseURL: in.ResponseURL, user: in.UserID})
	}}
}

func settingsModal(st pipeline.Settings) slack.ModalViewRequest {
	channel := func(id, placeholder, initial string) *slack.SelectBlockElement {
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeChannels, render.Plain(placeholder), id)
		el.InitialChannel = initial
		return el
	}
	tz := textEl(inTimezone, "America/New_York", st.Timezone, 64, false)
	cur := textEl(inCurrency, "USD", st.Currency, 3, false)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: cbSettings,
		Title: render.Plain("salesbot settings"), Submit: render.Plain("Save"), Close: render.Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			field(inCelebration, "Celebration channel", "Closed-won deals are announced here.", channel(inCelebration, "Choose a channel", st.CelebrationChannel), true),
			field(inDigest, "Digest channel", "The daily digest and weekly leaderboard go here.", channel(inDigest, "Choose a channel", st.DigestChannel), true),
			field(inAlerts, "Alerts channel", "Big-deal stage moves go here.", channel(inAlerts, "Choose a channel", st.AlertsChannel), true),
			field(inTimezone, "Timezone", "An IANA name such as Europe/Berlin.", tz, false),
			field(inCurrency, "Currency", "ISO code of new deals' amounts, such as USD or EUR.", cur, false),
		}},
	}
}

// settingsSubmit validates the settings form and saves it after the ack.
func (a *App) settingsSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	val := func(id string) slack.BlockAction { return stateValue(cb.View.State, id) }
	errs := map[string]string{}
	tz := strings.TrimSpace(val(inTimezone).Value)
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		errs[inTimezone] = fmt.Sprintf("%q is not a timezone: use an IANA name such as America/New_York.", render.Clip(tz, 64))
	}
	cur := strings.ToUpper(strings.TrimSpace(val(inCurrency).Value))
	if !pipeline.ValidCurrency(cur) {
		errs[inCurrency] = "Use a three-letter ISO code such as USD or EUR."
	}
	sched := readScheduleForm(cb.View.State, cur, errs)
	a.checkChannels(ctx, map[string]string{inCelebration: val(inCelebration).SelectedChannel,
		inDigest: val(inDigest).SelectedChannel, inAlerts: val(inAlerts).SelectedChannel}, errs)
	if len(errs) > 0 {
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(errs)}
	}
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		actor, st, err := a.actor(dbctx, cb.Team.ID, cb.User.ID)
		if err == nil {
			err = pipeline.AuthorizeAdmin(actor)
		}
		if err == nil {
			st.CelebrationChannel = val(inCelebration).SelectedChannel
			st.DigestChannel = val(inDigest).SelectedChannel
			st.AlertsChannel = val(inAlerts).SelectedChannel
			st.Timezone, st.Currency = tz, cur
			err = a.saveSettings(dbctx, actor, st, sched, "view:"+cb.View.ID)
		}
		if errors.Is(err, errDuplicate) {
			return nil // a redelivery: the first delivery answered
		}
		text := ":white_check_mark: Settings saved."
		if err != nil {
			text = a.userError(err, cb.Team.ID, cb.User.ID)
		}
		return a.tell(ctx, "", cb.User.ID, ephemeral(text))
	}}
}

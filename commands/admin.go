package commands

import (
	"context"
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
		return ephemeral(render.RoleSet(user, role)), nil
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
		return ephemeral(render.TeamSet(manager, reps)), nil
	})
}

// salesbotSettings handles "/salesbot settings" (admins): the settings modal.
func (a *App) salesbotSettings(ctx context.Context, in SlashInput) Reply {
	return a.openForm(in, render.FormSettings, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (slack.ModalViewRequest, error) {
		if err := pipeline.AuthorizeAdminTo(actor, "change settings"); err != nil {
			return slack.ModalViewRequest{}, err
		}
		stages, err := a.sales.Stages(ctx, st.WorkspaceID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		rules, err := a.sales.ApprovalRules(ctx, st.WorkspaceID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		rs, err := a.sales.RoomSettings(ctx, st.WorkspaceID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		view := render.SettingsModal(st, stages)
		view.Blocks.BlockSet = append(view.Blocks.BlockSet, render.ApprovalThresholdField(rules))
		view.Blocks.BlockSet = append(view.Blocks.BlockSet, render.RequiredFieldsBlocks(rules, stages)...)
		view.Blocks.BlockSet = append(view.Blocks.BlockSet, render.RoomSettingsFields(rs, st.Currency, stages)...)
		return view, nil
	})
}

// settingsSubmit validates the settings form and saves it after the ack.
func (a *App) settingsSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	val := func(id string) slack.BlockAction { return stateValue(cb.View.State, id) }
	errs := map[string]string{}
	tz := strings.TrimSpace(val(render.InTimezone).Value)
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		errs[render.InTimezone] = render.BadTimezone(tz)
	}
	cur := strings.ToUpper(strings.TrimSpace(val(render.InCurrency).Value))
	if !pipeline.ValidCurrency(cur) {
		errs[render.InCurrency] = render.BadCurrency
	}
	sched := readScheduleForm(cb.View.State, cur, errs)
	approval := readApprovalOver(val(render.InApprovalOver).Value, errs)
	readRequiredFields(cb.View.State, approval)
	rooms := readRoomSettings(cb.View.State, cur, errs)
	a.checkChannels(ctx, map[string]string{render.InCelebration: val(render.InCelebration).SelectedChannel,
		render.InDigest: val(render.InDigest).SelectedChannel, render.InAlerts: val(render.InAlerts).SelectedChannel}, errs)
	if len(errs) > 0 {
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(errs)}
	}
	return a.saveLater(cb, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (string, error) {
		if err := pipeline.AuthorizeAdminTo(actor, "change settings"); err != nil {
			return "", err
		}
		st.CelebrationChannel = val(render.InCelebration).SelectedChannel
		st.DigestChannel = val(render.InDigest).SelectedChannel
		st.AlertsChannel = val(render.InAlerts).SelectedChannel
		st.Timezone, st.Currency = tz, cur
		return render.SettingsSaved, a.saveSettings(ctx, actor, st, sched, approval, rooms, "view:"+cb.View.ID)
	})
}

// readApprovalOver reads the settings form's discount threshold, which the
// form shows as it is: empty is off.
func readApprovalOver(s string, errs map[string]string) *pipeline.ApprovalRules {
	s = strings.TrimSpace(s)
	if s == "" {
		return &pipeline.ApprovalRules{}
	}
	bps, err := pipeline.ParseDiscount(s)
	if err != nil || bps >= pipeline.MaxDiscountBps {
		errs[render.InApprovalOver] = render.BadApprovalOver
		return nil
	}
	return &pipeline.ApprovalRules{On: true, DiscountOverBps: bps}
}

// readRequiredFields reads the settings form's required fields, one
// multi-select per stage, into r (nil: the threshold was bad, nothing is
// saved). Slack sends every input of the form, so a stage with nothing
// chosen requires nothing; a form without them (opened before they
// existed) keeps them. The use case checks the stages and fields.
func readRequiredFields(st *slack.ViewState, r *pipeline.ApprovalRules) {
	if r == nil || st == nil {
		return
	}
	for block, actions := range st.Values {
		stage, ok := strings.CutPrefix(block, render.InRequiredPrefix)
		if !ok {
			continue
		}
		if r.Required == nil {
			r.Required = map[pipeline.Stage][]pipeline.DealField{}
		}
		for _, o := range actions[block].SelectedOptions {
			r.Required[pipeline.Stage(stage)] = append(r.Required[pipeline.Stage(stage)], pipeline.DealField(o.Value))
		}
	}
}

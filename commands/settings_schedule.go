package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// scheduleForm is what the schedule inputs of a settings submission hold,
// validated.
type scheduleForm struct {
	digestTime string
	days       []int
	snoozeMins int
	slaMins    int
	hours      pipeline.WorkHours
	bigDeal    int64 // minor units; 0 = off
	stale      map[pipeline.Stage]int
	jobs       map[string]bool
}

// readScheduleForm validates the schedule inputs, adding an inline error
// per bad field to errs.
func readScheduleForm(state *slack.ViewState, currency string, errs map[string]string) scheduleForm {
	val := func(id string) slack.BlockAction { return stateValue(state, id) }
	f := scheduleForm{stale: map[pipeline.Stage]int{}, jobs: map[string]bool{}}
	f.digestTime = strings.TrimSpace(val(render.InDigestTime).Value)
	if h, m, ok := pipeline.ParseClock(f.digestTime); ok {
		f.digestTime = fmt.Sprintf("%02d:%02d", h, m)
	} else {
		errs[render.InDigestTime] = render.BadClock(f.digestTime, "08:30 or 17:00")
	}
	days, err := readDays(val(render.InWorkingDays))
	if err != nil {
		errs[render.InWorkingDays] = err.Error()
	}
	f.days = days
	if f.snoozeMins, err = render.ParseSnooze(val(render.InSnooze).Value); err != nil {
		errs[render.InSnooze] = err.Error()
	}
	f.slaMins, f.hours = readSpeedSettings(val, errs)
	if big := strings.TrimSpace(val(render.InBigDeal).Value); big != "" {
		m, err := pipeline.ParseAmount(big, currency)
		if err != nil {
			errs[render.InBigDeal] = render.BadBigDeal(big)
		}
		f.bigDeal = m.Minor
	}
	if state != nil {
		for id, v := range state.Values {
			switch {
			case strings.HasPrefix(id, render.InStalePrefix):
				n, err := strconv.Atoi(strings.TrimSpace(v[id].Value))
				if err != nil || n < 0 || n > render.MaxStaleDays {
					errs[id] = render.BadStaleDays
				}
				f.stale[pipeline.Stage(strings.TrimPrefix(id, render.InStalePrefix))] = n
			case strings.HasPrefix(id, render.InJobPrefix):
				f.jobs[strings.TrimPrefix(id, render.InJobPrefix)] = v[id].SelectedOption.Value != "off"
			}
		}
	}
	return f
}

// apply puts the form into st and returns the stale thresholds to store
// (only stages the workspace has).
func (f scheduleForm) apply(st *pipeline.Settings, stages []pipeline.StageDef) []pipeline.StageDef {
	st.DigestTime, st.WorkingDays, st.FollowupSnoozeMins = f.digestTime, f.days, f.snoozeMins
	st.BigDealMinor = f.bigDeal
	st.ResponseSLAMins, st.WorkStartMin, st.WorkEndMin = f.slaMins, f.hours.Start, f.hours.End
	if st.Jobs == nil {
		st.Jobs = map[string]bool{}
	}
	for name, on := range f.jobs {
		st.Jobs[name] = on
	}
	var defs []pipeline.StageDef
	for _, s := range stages {
		if n, ok := f.stale[s.Key]; ok {
			s.StaleDays = n
			defs = append(defs, s)
		}
	}
	return defs
}

// checkChannels adds an inline error for each chosen channel the bot is
// not a member of: it could not post there. It asks Slack with a short
// timeout, as the answer must reach Slack within three seconds.
func (a *App) checkChannels(ctx context.Context, channels map[string]string, errs map[string]string) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	for block, ch := range channels {
		if ch == "" {
			continue
		}
		info, err := a.slack.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: ch})
		switch {
		case err != nil && ctx.Err() != nil:
			return // Slack is slow: accept rather than block the save
		case err != nil:
			errs[block] = render.ChannelUnseen
		case !info.IsMember:
			errs[block] = render.ChannelNotMember(info.Name)
		}
	}
}

// saveSettings stores st with the schedule form applied, and the stale
// thresholds of the stages, for actor (an admin).
// rooms, when given, are the form's room settings (variadic so that the
// callers without room inputs stay as they are).
func (a *App) saveSettings(ctx context.Context, actor pipeline.User, st pipeline.Settings, f scheduleForm, approval *pipeline.ApprovalRules, rooms *pipeline.RoomSettings, key string) error {
	stages, err := a.sales.Stages(ctx, st.WorkspaceID)
	if err != nil {
		return err
	}
	defs := f.apply(&st, stages)
	return a.sales.SaveSettings(ctx, sales.SaveSettings{Team: st.WorkspaceID, Actor: actor, Settings: st, Stages: defs,
		DiscountApproval: approval, Rooms: rooms, IdempotencyKey: key})
}

// readDays reads the working days' checkboxes: each ticked option's value
// is a day, 0=Sunday … 6=Saturday.
func readDays(ba slack.BlockAction) ([]int, error) {
	var days []int
	for _, o := range ba.SelectedOptions {
		d, err := strconv.Atoi(o.Value)
		if err != nil || d < 0 || d > 6 {
			return nil, fmt.Errorf("%q is not a day of the week", render.Clip(o.Value, 20))
		}
		days = append(days, d)
	}
	if len(days) == 0 {
		return nil, errors.New(render.NoWorkingDay)
	}
	slices.Sort(days)
	return slices.Compact(days), nil
}

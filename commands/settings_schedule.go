package commands

import (
	"context"
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

// Block IDs of the settings modal's schedule and alert inputs; stale
// thresholds are "stale_<stage>", job switches "job_<name>".
const (
	inDigestTime   = "digest_time"
	inWorkingDays  = "working_days"
	inSnooze       = "followup_snooze"
	inBigDeal      = "big_deal"
	inStalePrefix  = "stale_"
	inJobPrefix    = "job_"
	maxStaleDays   = 365
	maxSnoozeHours = 24 * 14
)

var weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// scheduleSettingsBlocks are the settings modal's inputs after the
// channels, timezone and currency: when the scheduler runs, what it alerts
// about, and each job's switch.
func scheduleSettingsBlocks(st pipeline.Settings, stages []pipeline.StageDef) []slack.Block {
	snooze := ""
	if st.FollowupSnoozeMins > 0 {
		snooze = formatSnooze(st.FollowupSnoozeMins)
	}
	big := ""
	if st.BigDealMinor > 0 {
		big = pipeline.Money{Minor: st.BigDealMinor, Currency: st.Currency}.String()
	}
	blocks := []slack.Block{
		field(inDigestTime, "Digest time", "HH:MM, 24-hour, in the workspace timezone.", textEl(inDigestTime, "08:30", st.DigestTime, 5, false), false),
		field(inWorkingDays, "Working days", "Days the digest and alerts go out, such as Mon-Fri or Mon,Tue,Thu.", textEl(inWorkingDays, "Mon-Fri", formatDays(st.WorkingDays), 40, false), false),
		field(inSnooze, "Follow-up snooze", "How long Snooze puts a reminder off: 30m, 4h, 1d (up to 14d).", textEl(inSnooze, "1d", snooze, 10, false), false),
		field(inBigDeal, "Big-deal threshold", "Stage moves of deals worth at least this go to the alerts channel. Empty: off.", textEl(inBigDeal, "50000", big, 30, false), true),
	}
	for _, s := range stages {
		if s.Key.Closed() {
			continue
		}
		id := inStalePrefix + string(s.Key)
		blocks = append(blocks, field(id, "Stale after (days): "+render.Clip(s.Label, 100),
			"Days without activity before a deal in this stage is stale; 0 turns it off.",
			textEl(id, "7", strconv.Itoa(s.StaleDays), 3, false), false))
	}
	for _, j := range pipeline.Jobs {
		id := inJobPrefix + j.Name
		on := slack.NewOptionBlockObject("on", render.Plain("On"), nil)
		off := slack.NewOptionBlockObject("off", render.Plain("Off"), nil)
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, render.Plain("On or off"), id, on, off)
		el.InitialOption = on
		if v, ok := st.Jobs[j.Name]; ok && !v {
			el.InitialOption = off
		}
		blocks = append(blocks, field(id, j.Label, "", el, false))
	}
	return blocks
}

// scheduleForm is what the schedule inputs of a settings submission hold,
// validated.
type scheduleForm struct {
	digestTime string
	days       []int
	snoozeMins int
	bigDeal    int64 // minor units; 0 = off
	stale      map[pipeline.Stage]int
	jobs       map[string]bool
}

// readScheduleForm validates the schedule inputs, adding an inline error
// per bad field to errs.
func readScheduleForm(state *slack.ViewState, currency string, errs map[string]string) scheduleForm {
	val := func(id string) slack.BlockAction { return stateValue(state, id) }
	f := scheduleForm{stale: map[pipeline.Stage]int{}, jobs: map[string]bool{}}
	f.digestTime = strings.TrimSpace(val(inDigestTime).Value)
	if h, m, ok := pipeline.ParseClock(f.digestTime); ok {
		f.digestTime = fmt.Sprintf("%02d:%02d", h, m)
	} else {
		errs[inDigestTime] = fmt.Sprintf("%q is not a time: use HH:MM, such as 08:30 or 17:00.", render.Clip(f.digestTime, 20))
	}
	days, err := parseDays(val(inWorkingDays).Value)
	if err != nil {
		errs[inWorkingDays] = err.Error()
	}
	f.days = days
	if f.snoozeMins, err = parseSnooze(val(inSnooze).Value); err != nil {
		errs[inSnooze] = err.Error()
	}
	if big := strings.TrimSpace(val(inBigDeal).Value); big != "" {
		m, err := pipeline.ParseAmount(big, currency)
		if err != nil {
			errs[inBigDeal] = fmt.Sprintf("%q is not an amount: type one such as 50000 or 50k.", render.Clip(big, 30))
		}
		f.bigDeal = m.Minor
	}
	if state != nil {
		for id, v := range state.Values {
			switch {
			case strings.HasPrefix(id, inStalePrefix):
				n, err := strconv.Atoi(strings.TrimSpace(v[id].Value))
				if err != nil || n < 0 || n > maxStaleDays {
					errs[id] = fmt.Sprintf("Type a whole number of days from 0 to %d.", maxStaleDays)
				}
				f.stale[pipeline.Stage(strings.TrimPrefix(id, inStalePrefix))] = n
			case strings.HasPrefix(id, inJobPrefix):
				f.jobs[strings.TrimPrefix(id, inJobPrefix)] = v[id].SelectedOption.Value != "off"
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
			errs[block] = "salesbot cannot see that channel: invite it with /invite @salesbot, or choose another."
		case !info.IsMember:
			errs[block] = fmt.Sprintf("salesbot is not in #%s yet: invite it with /invite @salesbot, or choose another.", render.Clip(info.Name, 80))
		}
	}
}

// parseDays reads "Mon-Fri", "Mon,Wed,Fri" or "Sun-Thu" into 0=Sunday … 6=Saturday.
func parseDays(s string) ([]int, error) {
	bad := fmt.Errorf("%q is not a list of days: use Mon-Fri, or names like Mon,Tue,Thu.", render.Clip(strings.TrimSpace(s), 40))
	day := func(w string) (int, bool) {
		w = strings.ToLower(strings.TrimSpace(w))
		for i, d := range weekdays {
			if len(w) >= 3 && strings.HasPrefix(strings.ToLower(d), w[:3]) && strings.HasPrefix(strings.ToLower(fullDay(i)), w) {
				return i, true
			}
		}
		return 0, false
	}
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		from, to, isRange := strings.Cut(part, "-")
		a, ok := day(from)
		if !ok {
			return nil, bad
		}
		b := a
		if isRange {
			if b, ok = day(to); !ok {
				return nil, bad
			}
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("Choose at least one working day, such as Mon-Fri.")
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func fullDay(i int) string { return time.Weekday(i).String() }

// formatDays writes working days back as the modal shows them.
func formatDays(days []int) string {
	if slices.Equal(days, []int{1, 2, 3, 4, 5}) {
		return "Mon-Fri"
	}
	names := make([]string, 0, len(days))
	for _, d := range days {
		if d >= 0 && d < 7 {
			names = append(names, weekdays[d])
		}
	}
	return strings.Join(names, ",")
}

// parseSnooze reads "30m", "4h", "1d" or a bare number of hours into minutes.
func parseSnooze(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	bad := fmt.Errorf("%q is not a length: use 30m, 4h or 1d (up to 14d).", render.Clip(s, 20))
	unit := 60
	switch {
	case strings.HasSuffix(s, "m"):
		unit, s = 1, strings.TrimSuffix(s, "m")
	case strings.HasSuffix(s, "h"):
		s = strings.TrimSuffix(s, "h")
	case strings.HasSuffix(s, "d"):
		unit, s = 24*60, strings.TrimSuffix(s, "d")
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 || n*unit > maxSnoozeHours*60 || n*unit < 5 {
		return 0, bad
	}
	return n * unit, nil
}

func formatSnooze(mins int) string {
	switch {
	case mins%(24*60) == 0:
		return fmt.Sprintf("%dd", mins/(24*60))
	case mins%60 == 0:
		return fmt.Sprintf("%dh", mins/60)
	}
	return fmt.Sprintf("%dm", mins)
}

// saveSettings stores st with the schedule form applied, and the stale
// thresholds of the stages, for actor (an admin).
func (a *App) saveSettings(ctx context.Context, actor pipeline.User, st pipeline.Settings, f scheduleForm, key string) error {
	stages, err := a.sales.Stages(ctx, st.WorkspaceID)
	if err != nil {
		return err
	}
	defs := f.apply(&st, stages)
	return a.sales.SaveSettings(ctx, sales.SaveSettings{Team: st.WorkspaceID, Actor: actor, Settings: st, Stages: defs, IdempotencyKey: key})
}

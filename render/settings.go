package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// CbSettings is the settings modal's callback ID.
const CbSettings = "settings"

// Settings modal block IDs; stale thresholds are "stale_<stage>", job
// switches "job_<name>".
const (
	InCelebration  = "celebration_channel"
	InDigest       = "digest_channel"
	InAlerts       = "alerts_channel"
	InTimezone     = "timezone"
	InCurrency     = "currency"
	InDigestTime   = "digest_time"
	InWorkingDays  = "working_days"
	InSnooze       = "followup_snooze"
	InBigDeal      = "big_deal"
	InStalePrefix  = "stale_"
	InJobPrefix    = "job_"
	MaxStaleDays   = 365
	MaxSnoozeHours = 24 * 14
)

// SettingsModal is /salesbot settings: channels, timezone and currency, then
// when the scheduler runs, what it alerts about, and each job's switch.
func SettingsModal(st pipeline.Settings, stages []pipeline.StageDef) slack.ModalViewRequest {
	channel := func(id, placeholder, initial string) *slack.SelectBlockElement {
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeChannels, Plain(placeholder), id)
		el.InitialChannel = initial
		return el
	}
	tz := TextEl(InTimezone, "America/New_York", st.Timezone, 64, false)
	cur := TextEl(InCurrency, "USD", st.Currency, 3, false)
	blocks := []slack.Block{
		Field(InCelebration, "Celebration channel", "Closed-won deals are announced here.", channel(InCelebration, "Choose a channel", st.CelebrationChannel), true),
		Field(InDigest, "Digest channel", "The daily digest and weekly leaderboard go here.", channel(InDigest, "Choose a channel", st.DigestChannel), true),
		Field(InAlerts, "Alerts channel", "Big-deal stage moves go here.", channel(InAlerts, "Choose a channel", st.AlertsChannel), true),
		Field(InTimezone, "Timezone", "An IANA name such as Europe/Berlin.", tz, false),
		Field(InCurrency, "Currency", "ISO code of new deals' amounts, such as USD or EUR.", cur, false),
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CbSettings,
		Title: Plain("salesbot settings"), Submit: Plain("Save"), Close: Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: append(blocks, scheduleBlocks(st, stages)...)},
	}
}

// scheduleBlocks are the settings modal's inputs after the channels,
// timezone and currency.
func scheduleBlocks(st pipeline.Settings, stages []pipeline.StageDef) []slack.Block {
	snooze := ""
	if st.FollowupSnoozeMins > 0 {
		snooze = FormatSnooze(st.FollowupSnoozeMins)
	}
	big := ""
	if st.BigDealMinor > 0 {
		big = pipeline.Money{Minor: st.BigDealMinor, Currency: st.Currency}.String()
	}
	blocks := []slack.Block{
		Field(InDigestTime, "Digest time", "HH:MM, 24-hour, in the workspace timezone.", TextEl(InDigestTime, "08:30", st.DigestTime, 5, false), false),
		Field(InWorkingDays, "Working days", "Days the digest and alerts go out.", WorkingDaysEl(st.WorkingDays), false),
		Field(InSnooze, "Follow-up snooze", "How long Snooze puts a reminder off: 30m, 4h, 1d (up to 14d).", TextEl(InSnooze, "1d", snooze, 10, false), false),
		Field(InBigDeal, "Big-deal threshold", "Stage moves of deals worth at least this go to the alerts channel. Empty: off.", TextEl(InBigDeal, "50000", big, 30, false), true),
	}
	blocks = append(blocks, speedSettingsBlocks(st)...)
	for _, s := range stages {
		if s.Key.Closed() {
			continue
		}
		id := InStalePrefix + string(s.Key)
		blocks = append(blocks, Field(id, "Stale after (days): "+Clip(s.Label, 100),
			"Days without activity before a deal in this stage is stale; 0 turns it off.",
			TextEl(id, "7", strconv.Itoa(s.StaleDays), 3, false), false))
	}
	for _, j := range pipeline.Jobs {
		id := InJobPrefix + j.Name
		on, set := st.Jobs[j.Name]
		blocks = append(blocks, Field(id, j.Label, "", onOff(id, on || !set), false)) // a job not set is on
	}
	return blocks
}

// WorkingDaysEl is the working days as Slack's checkboxes, Monday first;
// each option's value is the day's number, 0=Sunday … 6=Saturday.
func WorkingDaysEl(days []int) *slack.CheckboxGroupsBlockElement {
	var opts, initial []*slack.OptionBlockObject
	for _, d := range []int{1, 2, 3, 4, 5, 6, 0} {
		o := slack.NewOptionBlockObject(strconv.Itoa(d), Plain(time.Weekday(d).String()), nil)
		opts = append(opts, o)
		if slices.Contains(days, d) {
			initial = append(initial, o)
		}
	}
	el := slack.NewCheckboxGroupsBlockElement(InWorkingDays, opts...)
	el.InitialOptions = initial
	return el
}

// NoWorkingDay refuses working days with none ticked.
const NoWorkingDay = "Tick at least one working day."

// onOff is an On/Off select, showing on or off.
func onOff(id string, on bool) *slack.SelectBlockElement {
	onOpt := slack.NewOptionBlockObject("on", Plain("On"), nil)
	offOpt := slack.NewOptionBlockObject("off", Plain("Off"), nil)
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain("On or off"), id, onOpt, offOpt)
	el.InitialOption = onOpt
	if !on {
		el.InitialOption = offOpt
	}
	return el
}

// The settings form's inline errors.

// BadClock refuses a time of day, giving example.
func BadClock(s, example string) string {
	return fmt.Sprintf("%q is not a time: use HH:MM, such as %s.", Clip(s, 20), example)
}

// BadTimezone refuses a timezone name.
func BadTimezone(s string) string {
	return fmt.Sprintf("%q is not a timezone: use an IANA name such as America/New_York.", Clip(s, 64))
}

// BadCurrency refuses a currency code.
const BadCurrency = "Use a three-letter ISO code such as USD or EUR."

// BadBigDeal refuses the big-deal threshold.
func BadBigDeal(s string) string {
	return fmt.Sprintf("%q is not an amount: type one such as 50000 or 50k.", Clip(s, 30))
}

// BadStaleDays refuses a stale threshold.
var BadStaleDays = fmt.Sprintf("Type a whole number of days from 0 to %d.", MaxStaleDays)

// ChannelUnseen refuses a channel the bot cannot see.
const ChannelUnseen = "salesbot cannot see that channel: invite it with /invite @salesbot, or choose another."

// ChannelNotMember refuses a channel the bot is not in.
func ChannelNotMember(name string) string {
	return fmt.Sprintf("salesbot is not in #%s yet: invite it with /invite @salesbot, or choose another.", Clip(name, 80))
}

// SettingsSaved confirms /salesbot settings.
const SettingsSaved = ":white_check_mark: Settings saved."

// ParseSnooze reads "30m", "4h", "1d" or a bare number of hours into
// minutes: FormatSnooze read back, its error the inline message.
func ParseSnooze(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	bad := fmt.Errorf("%q is not a length: use 30m, 4h or 1d (up to 14d).", Clip(s, 20))
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
	if err != nil || n <= 0 || n*unit > MaxSnoozeHours*60 || n*unit < 5 {
		return 0, bad
	}
	return n * unit, nil
}

// FormatSnooze writes a snooze length as the modal shows it.
func FormatSnooze(mins int) string {
	switch {
	case mins%(24*60) == 0:
		return fmt.Sprintf("%dd", mins/(24*60))
	case mins%60 == 0:
		return fmt.Sprintf("%dh", mins/60)
	}
	return fmt.Sprintf("%dm", mins)
}

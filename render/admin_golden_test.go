package render

import (
	"testing"

	"salesbot/pipeline"
)

func TestGoldenUsage(t *testing.T) {
	var all []byte
	for _, c := range Commands {
		all = append(all, Usage(c)+"\n\n"...)
	}
	all = append(all, UnknownVerb(Commands[1], "<!here>&")+"\n"...)
	golden(t, "usage", all)
}

// The settings modal of a workspace that changed every default: a stage
// label with markup, a job switched off.
func TestGoldenSettingsModal(t *testing.T) {
	stages := pipeline.DefaultStages()
	stages[1].Label = "Qualified <b>&</b> scored"
	st := pipeline.Settings{WorkspaceID: "T0GOLD", Currency: "EUR", Timezone: "Europe/Berlin",
		CelebrationChannel: "C0WINS", DigestChannel: "C0DIGEST", DigestTime: "07:45", WorkingDays: []int{0, 1, 2, 3, 4},
		BigDealMinor: 50_000_00, FollowupSnoozeMins: 240, Jobs: map[string]bool{pipeline.Jobs[0].Name: false}}
	golden(t, "settings_modal", messageText(t, "", SettingsModal(st, stages)))
}

func TestGoldenNotifyModal(t *testing.T) {
	p := pipeline.NotifyPrefs{Wants: map[string]bool{pipeline.NotifyKinds[0].Name: false}, QuietStart: "20:00", QuietEnd: "08:00"}
	golden(t, "notify_modal", messageText(t, NotifySaved(p.QuietStart, p.QuietEnd), NotifyModal(p)))
}

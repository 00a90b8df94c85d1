package render

import (
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// DealModal is the view behind a card button (or /deal edit): action is the
// button's action ID, kinds the activities a note can log, tz the person's
// timezone name and metadata the view's private_metadata.
func DealModal(action string, d pipeline.Deal, stages []pipeline.StageDef, kinds []string, tz, metadata string) slack.ModalViewRequest {
	switch action {
	case ActMove:
		return MoveModal(d, stages, metadata)
	case ActWon:
		return WonModal(d, metadata)
	case ActLost:
		return LostModal(d, metadata)
	case ActNote:
		return NoteModal(d, kinds, metadata)
	case ActFollowup:
		return FollowupModal(d, tz, metadata)
	}
	return EditModal(d, metadata)
}

// Form names a modal for the message a person gets when it fails to open:
// Name as they know it, Again how to ask for it again.
type Form struct{ Name, Again string }

// The forms opened by a command, a button or a shortcut.
var (
	FormNewLead       = Form{"New lead", "run `/lead new` again"}
	FormHomeNewLead   = Form{"New lead", "click *New lead* again"}
	FormShortcutLead  = Form{"New lead", "use the *New lead* shortcut again"}
	FormImport        = Form{"CSV import", "run `/lead import` again"}
	FormSettings      = Form{"Settings", "run `/salesbot settings` again"}
	FormNotify        = Form{"notification settings", "run `/salesbot notify` again"}
	FormICP           = Form{"ideal customer profile", "run `/salesbot icp` again"}
	FormAgainByButton = "click the button again"
)

// FormQualify is /lead qualify's BANT form for deal n.
func FormQualify(n int64) Form {
	return Form{"qualification", fmt.Sprintf("run `/lead qualify %s` again", pipeline.FormatRef(n))}
}

// FormEditAgain is how to open /deal edit of d again.
func FormEditAgain(d pipeline.Deal) string { return fmt.Sprintf("run `/deal edit %s` again", d.Ref()) }

// ModalTitle is the title the person would have seen on the form.
func ModalTitle(v slack.ModalViewRequest) string {
	if v.Title != nil && v.Title.Text != "" {
		return v.Title.Text
	}
	return "requested"
}

// ChartShared says where a chart went; ChartNotShared that it could not be
// shared (the text above it has the same figures).
const (
	ChartShared    = ":bar_chart: Chart sent to your DM with salesbot."
	ChartNotShared = "_The chart could not be shared this time; the figures above are complete._"
)

// LeadListTitle heads a list of n open leads.
func LeadListTitle(header string, n int) string { return fmt.Sprintf("%s (%d)", header, n) }

// Answered is an offer's message once answered: only the answer, text.
func Answered(text string) []slack.Block {
	return []slack.Block{slack.NewSectionBlock(Mrkdwn(text), nil, nil)}
}

// ChartLine is the line under a report that says where its chart went.
func ChartLine(line string) slack.Block { return slack.NewContextBlock("", Mrkdwn(line)) }

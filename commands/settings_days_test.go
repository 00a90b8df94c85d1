package commands

import (
	"slices"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/render"
)

// The working days' checkboxes read back as the days they were opened
// with; none ticked, or a value that is no day, is refused inline.
func TestWorkingDaysCheckboxesRoundTrip(t *testing.T) {
	for _, days := range [][]int{{1, 2, 3, 4, 5}, {0, 1, 2, 3, 4}, {6}, {0, 1, 2, 3, 4, 5, 6}} {
		el := render.WorkingDaysEl(days)
		if len(el.Options) != 7 || el.Options[0].Text.Text != "Monday" || el.Options[6].Text.Text != "Sunday" {
			t.Fatalf("options: %+v", el.Options)
		}
		got, err := readDays(slack.BlockAction{SelectedOptions: slices.Clone(deref(el.InitialOptions))})
		if err != nil || !slices.Equal(got, days) {
			t.Errorf("ticking %v reads %v, %v", days, got, err)
		}
	}
	if _, err := readDays(slack.BlockAction{}); err == nil || err.Error() != render.NoWorkingDay {
		t.Errorf("no day ticked: err = %v, want %q", err, render.NoWorkingDay)
	}
	if _, err := readDays(slack.BlockAction{SelectedOptions: []slack.OptionBlockObject{{Value: "7"}}}); err == nil {
		t.Error("a value that is no day was accepted")
	}
}

func deref(opts []*slack.OptionBlockObject) []slack.OptionBlockObject {
	out := make([]slack.OptionBlockObject, len(opts))
	for i, o := range opts {
		out[i] = *o
	}
	return out
}

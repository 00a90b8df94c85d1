package commands

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// readRoomSettings reads the settings form's room inputs in the workspace
// currency, adding an inline error per bad field to errs. An input the
// form did not have (an older form) leaves the room settings alone (nil).
func readRoomSettings(state *slack.ViewState, currency string, errs map[string]string) *pipeline.RoomSettings {
	val := func(id string) slack.BlockAction { return stateValue(state, id) }
	if state == nil || state.Values[render.InRoomArchiveDays] == nil {
		return nil
	}
	rs := &pipeline.RoomSettings{Private: val(render.InRoomPrivacy).SelectedOption.Value == "private"}
	days := strings.TrimSpace(val(render.InRoomArchiveDays).Value)
	n, err := strconv.Atoi(days)
	if err != nil || n < 0 || n > pipeline.MaxRoomArchiveDays {
		errs[render.InRoomArchiveDays] = render.BadRoomArchiveDays
	}
	rs.ArchiveDays = n
	over := strings.TrimSpace(val(render.InRoomAutoOver).Value)
	stage := pipeline.Stage(val(render.InRoomAutoStage).SelectedOption.Value)
	// An empty value turns rooms opening by themselves off, whatever stage
	// the form still shows: Slack's select cannot be cleared.
	switch {
	case over != "" && stage == "":
		errs[render.InRoomAutoStage] = render.RoomAutoNeedsStage
	case over != "":
		m, err := pipeline.ParseAmount(over, currency)
		if err != nil || m.Minor < 0 {
			errs[render.InRoomAutoOver] = render.BadRoomAutoOver(over)
		}
		rs.AutoMinor, rs.AutoStage = m.Minor, stage
	}
	return rs
}

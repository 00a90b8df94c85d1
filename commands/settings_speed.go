package commands

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// readSpeedSettings reads the response SLA and working hours of a settings
// submission, adding an inline error per bad field to errs.
func readSpeedSettings(val func(string) slack.BlockAction, errs map[string]string) (int, pipeline.WorkHours) {
	sla, err := strconv.Atoi(strings.TrimSpace(val(render.InResponseSLA).Value))
	if err != nil || sla < 1 || sla > pipeline.MaxResponseSLAMins {
		errs[render.InResponseSLA] = render.BadResponseSLA
	}
	h, err := pipeline.ParseWorkHours(val(render.InWorkHours).Value)
	if err != nil {
		errs[render.InWorkHours] = render.Capitalize(err.Error()) + "."
	}
	return sla, h
}

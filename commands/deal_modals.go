package commands

import (
	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

var activityKinds = sales.ActivityKinds

// dealModal is the view behind a card button (or /deal edit), ref in its
// metadata.
func dealModal(action string, d pipeline.Deal, stages []pipeline.StageDef, ref cardRef) slack.ModalViewRequest {
	md := ref.encode()
	switch action {
	case render.ActMove:
		return render.MoveModal(d, stages, md)
	case render.ActWon:
		return render.WonModal(d, md)
	case render.ActLost:
		return render.LostModal(d, md)
	case render.ActNote:
		return render.NoteModal(d, activityKinds, md)
	case render.ActFollowup:
		return render.FollowupModal(d, location(ref.TZ).String(), md)
	}
	return render.EditModal(d, md)
}

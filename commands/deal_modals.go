package commands

import (
	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// Callback IDs of the modals opened from a deal card (render's).
const (
	cbMove     = render.CbMove
	cbWon      = render.CbWon
	cbLost     = render.CbLost
	cbNote     = render.CbNote
	cbFollowup = render.CbFollowup
	cbEdit     = render.CbEdit
)

// Block (and action) IDs of those modals' inputs.
const (
	inStage  = render.InStage
	inAmount = render.InAmount
	inReason = render.InReason
	inKind   = render.InKind
	inBody   = render.InBody
	inWhen   = render.InWhen
	inNote   = render.InNote
)

var activityKinds = sales.ActivityKinds

// modal is render.Modal with the card reference in its metadata.
func modal(callback, title, submit string, ref cardRef, blocks ...slack.Block) slack.ModalViewRequest {
	return render.Modal(callback, title, submit, ref.encode(), blocks...)
}

func field(id, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	return render.Field(id, label, hint, el, optional)
}

func textEl(id, placeholder, initial string, maxLen int, multiline bool) *slack.PlainTextInputBlockElement {
	return render.TextEl(id, placeholder, initial, maxLen, multiline)
}

func options(values []string, label func(string) string) []*slack.OptionBlockObject {
	return render.Options(values, label)
}

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

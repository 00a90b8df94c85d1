package commands

import (
	"salesbot/pipeline"
	"salesbot/render"
)

// The deal card's action IDs, as render names them.
const (
	actMove     = render.ActMove
	actNote     = render.ActNote
	actFollowup = render.ActFollowup
	actEdit     = render.ActEdit
	actWon      = render.ActWon
	actLost     = render.ActLost
	actHistory  = render.ActHistory
	actOpen     = render.ActOpen
)

// valueText is render's, under the name the rest of commands knows it by.
func valueText(d pipeline.Deal) string { return render.ValueText(d) }
